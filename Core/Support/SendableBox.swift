/// A mutable value that moves between tasks but is only ever used by one of them at a time: an
/// async iterator handed from the task that started a stream to the one that reads the rest, or
/// the state of an `AsyncThrowingStream(unfolding:)` (which calls its closure one at a time).
///
/// `@unchecked Sendable` because that one-at-a-time use is a promise of the caller, not
/// something the compiler can see; keep each box to one such hand-over.
public final class SendableBox<Value>: @unchecked Sendable {
    /// The value; touch it only from the one task that holds the box now.
    public var value: Value

    /// Boxes `value`.
    public init(_ value: Value) {
        self.value = value
    }
}
