/// How a stage retries a failed job: exponential backoff with jitter, up to a number of attempts.
///
/// A pure value: it returns a decision and does nothing, so the backoff arithmetic is tested
/// without Redis or clocks.
public struct RetryPolicy: Sendable, Equatable {
    /// What to do with a job that just failed.
    public enum Decision: Sendable, Equatable {
        /// Try again after this delay.
        case retry(after: Duration)
        /// Give up: move it to the dead-letter stream with this reason.
        case deadLetter(reason: String)
    }

    /// Attempts in all, the first included; at least 1.
    public var maxAttempts: Int
    /// Delay before the second attempt; each later one doubles it.
    public var baseDelay: Duration
    /// Upper bound of any single delay.
    public var maxDelay: Duration

    /// Creates a policy.
    public init(maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(60)) {
        precondition(maxAttempts >= 1, "a job gets at least one attempt")
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// Decides after attempt number `attempt` (1-based) failed with `reason`.
    ///
    /// The delay is "equal jitter": half the exponential delay, plus a random part up to the
    /// other half, so retries spread out (no thundering herd) yet never come sooner than half
    /// the nominal backoff.
    public func decision(
        afterFailedAttempt attempt: Int,
        reason: String,
        using generator: inout some RandomNumberGenerator
    ) -> Decision {
        guard attempt < maxAttempts else {
            return .deadLetter(reason: "failed \(attempt) of \(maxAttempts) attempts; last error: \(reason)")
        }
        let nominal = nominalDelay(beforeAttempt: attempt + 1)
        let half = nominal / 2
        let jitterMilliseconds = Int64.random(in: 0...max(0, half.milliseconds), using: &generator)
        return .retry(after: half + .milliseconds(jitterMilliseconds))
    }

    /// Decides with the system's random generator.
    public func decision(afterFailedAttempt attempt: Int, reason: String) -> Decision {
        var generator = SystemRandomNumberGenerator()
        return decision(afterFailedAttempt: attempt, reason: reason, using: &generator)
    }

    /// The delay before `attempt` (2 or more) without jitter: base × 2^(attempt − 2), capped.
    public func nominalDelay(beforeAttempt attempt: Int) -> Duration {
        let doublings = min(max(attempt - 2, 0), 30)
        let delay = baseDelay * (1 << doublings)
        return min(delay, maxDelay)
    }
}

extension Duration {
    /// Whole milliseconds, rounded down.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
