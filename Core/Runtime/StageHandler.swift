/// The work a stage does for each job: the router answering a message, delivery sending it,
/// the publisher posting. The runtime calls it at least once per job; it must record its
/// effects idempotently under `job.id`.
public protocol StageHandler: Sendable {
    /// Handles one job. Returning means its effects are recorded and the job may be acked;
    /// throwing schedules a retry, or a dead letter once attempts run out, or at once for
    /// `StageFailure.permanent`.
    func handle(_ job: StageJob) async throws

    /// Called once the runtime gives up on a job, before it goes to the dead-letter stream: the
    /// stage makes the failure visible to the person who is waiting (a failed answer, a failed
    /// post), because a dead letter only an operator reads is a silent drop for everyone else.
    /// `reason` is for the log; what the person sees must not leak it. Throwing leaves the job
    /// pending, so it is tried again when reclaimed (and dead-lettered regardless after its
    /// delivery limit).
    func deadLettered(_ job: StageJob, reason: String) async throws
}

extension StageHandler {
    /// Nothing to tell: stages whose jobs no person waits for.
    public func deadLettered(_ job: StageJob, reason: String) async throws {}
}

/// A handler error that no retry can fix (malformed payload, unknown tenant): the job goes
/// straight to the dead-letter stream with this reason.
public struct StageFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why the job can never succeed.
    public let reason: String

    /// A failure no retry can fix.
    public static func permanent(_ reason: String) -> StageFailure { StageFailure(reason: reason) }

    public var description: String { reason }
}

/// An error that knows how long to wait before trying again (a channel's or provider's
/// `Retry-After`): the stage retries no sooner than that, even when its backoff is shorter.
public protocol RetryAfterError: Error {
    /// The wait the other side asked for, if it did.
    var retryAfter: Duration? { get }
}

/// A handler made from a closure, for small stages and tests.
public struct ClosureStageHandler: StageHandler {
    private let body: @Sendable (StageJob) async throws -> Void

    /// Wraps `body` as a handler.
    public init(_ body: @escaping @Sendable (StageJob) async throws -> Void) {
        self.body = body
    }

    public func handle(_ job: StageJob) async throws {
        try await body(job)
    }
}
