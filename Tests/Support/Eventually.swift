/// The one way tests wait for something that happens in another task, process or server: check
/// `condition` every 25 ms until it holds, for at most `timeout`. The timeout is a bound, not a
/// timing: a machine busy with every suite gets all of it, and a test never fails for being slow
/// within it.
/// - Throws: ``EventuallyTimedOut`` naming `what`, or the condition's own error once time is up.
public func eventually(
    _ what: String = "the condition", timeout: Duration = .seconds(20), _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while true {
        let held: Bool
        do { held = try await condition() } catch { if ContinuousClock.now >= deadline { throw error } else { held = false } }
        if held { return }
        guard ContinuousClock.now < deadline else { throw EventuallyTimedOut(what: what, timeout: timeout) }
        try await Task.sleep(for: .milliseconds(25))
    }
}

/// ``eventually(_:timeout:_:)`` gave up.
public struct EventuallyTimedOut: Error, CustomStringConvertible {
    /// What was waited for.
    public let what: String
    /// How long.
    public let timeout: Duration

    public var description: String { "gave up waiting for \(what) after \(timeout)" }
}
