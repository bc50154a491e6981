/// Rate limits per tenant and per user, shared by all processes: GCRA (the generic cell rate
/// algorithm) in one Redis key per subject, so a limit costs one round trip and one small string.
///
/// GCRA keeps the "theoretical arrival time" of the next request: a request is allowed when that
/// time is not further ahead of now than the burst allows; a refusal says exactly when to retry.
public struct RateLimiter: Sendable {
    /// A limit: `count` requests per `period`, with bursts of up to `burst` at once.
    public struct Limit: Sendable, Equatable {
        /// Requests allowed per period.
        public var count: Int
        /// The period.
        public var period: Duration
        /// Requests allowed back to back; `count` by default.
        public var burst: Int

        /// Creates a limit.
        public init(count: Int, per period: Duration, burst: Int? = nil) {
            precondition(count > 0, "a rate limit allows at least one request")
            self.count = count
            self.period = period
            self.burst = max(1, burst ?? count)
        }
    }

    /// What `check` decided.
    public enum Decision: Sendable, Equatable {
        /// Go ahead.
        case allowed
        /// Wait this long, then try again (`Retry-After`).
        case limited(retryAfter: Duration)
    }

    private let redis: RedisClient

    /// Creates a limiter over the shared Redis.
    public init(redis: RedisClient) {
        self.redis = redis
    }

    /// Counts one request of `subject` (for example `tenant:<id>` or `user:<tenant>:<name>`) against `limit`.
    public func check(_ subject: String, limit: Limit) async throws -> Decision {
        let interval = max(1, limit.period.milliseconds / Int64(limit.count))
        let reply = try await redis.run(
            Self.script, keys: ["{lp:rate:\(subject)}"],
            arguments: [Int(interval), Int(interval * Int64(limit.burst - 1))]
        )
        let wait = reply.int ?? 0
        return wait <= 0 ? .allowed : .limited(retryAfter: .milliseconds(wait))
    }

    /// KEYS: the subject's key. ARGV: emission interval ms, burst tolerance ms.
    /// Returns 0 when allowed, else the milliseconds to wait.
    static let script = RedisScript(
        name: "rate.gcra",
        source: """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local interval = tonumber(ARGV[1])
            local tolerance = tonumber(ARGV[2])
            local tat = tonumber(redis.call('GET', KEYS[1]) or now)
            if tat < now then tat = now end
            local allowAt = tat - tolerance
            if now < allowAt then return allowAt - now end
            local nextTat = tat + interval
            redis.call('SET', KEYS[1], nextTat, 'PX', math.max(1, nextTat - now))
            return 0
            """
    )
}
