import Synchronization

/// A one-shot gate a server handler waits on until the test opens it, plus what the handler observed.
final class TestGate: Sendable {
    private struct State {
        var isOpen = false
        var waiters: [CheckedContinuation<Void, Never>] = []
        var openedInTime: Bool?
        var lastWriteAt: ContinuousClock.Instant?
    }
    private let state = Mutex(State())

    func open() {
        let waiters = state.withLock { state in
            state.isOpen = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Waits until opened; `false` if `timeout` passed first (the gate is then opened to free waiters).
    func wait(timeout: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let open = self.state.withLock { state in
                        if state.isOpen { return true }
                        state.waiters.append(continuation)
                        return false
                    }
                    if open { continuation.resume() }
                }
                return true
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            open()
            group.cancelAll()
            return first
        }
    }

    func serverWaited(opened: Bool) { state.withLock { $0.openedInTime = opened } }
    func markLastWrite() { state.withLock { $0.lastWriteAt = .now } }
    var openedInTime: Bool? { state.withLock { $0.openedInTime } }
    var lastWriteAt: ContinuousClock.Instant? { state.withLock { $0.lastWriteAt } }
}
