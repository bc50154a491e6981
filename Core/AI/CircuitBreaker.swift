/// A circuit breaker per provider, shared by every process through Redis.
///
/// Closed: calls go through; `failureThreshold` consecutive failures open it. Open: calls are
/// refused at once (the chain falls back) until `cooldown` has passed; then exactly one call, the
/// probe, is let through (half-open). The probe's success closes the circuit, its failure opens it
/// again. Transitions run as Lua scripts on Redis's clock, so processes agree on the state and
/// only one of them probes.
public struct CircuitBreaker: Sendable {
    /// What `acquire` decided.
    public enum Permission: Sendable, Equatable {
        /// The circuit is closed: call.
        case call
        /// The cooldown has passed: call as the probe, and report the outcome.
        case probe
        /// The circuit is open: do not call.
        case refused
    }

    /// Tuning; the policy sets it per provider.
    public struct Configuration: Sendable, Equatable {
        /// Consecutive failures that open the circuit.
        public var failureThreshold: Int
        /// How long it stays open before a probe.
        public var cooldown: Duration
        /// How long a probe may take before another process may probe instead.
        public var probeTimeout: Duration

        /// Creates a configuration.
        public init(failureThreshold: Int = 5, cooldown: Duration = .seconds(30), probeTimeout: Duration = .seconds(60)) {
            self.failureThreshold = failureThreshold
            self.cooldown = cooldown
            self.probeTimeout = probeTimeout
        }
    }

    private let redis: RedisClient
    private let configuration: Configuration

    /// Creates a breaker over the shared Redis.
    public init(redis: RedisClient, configuration: Configuration = .init()) {
        self.redis = redis
        self.configuration = configuration
    }

    /// The same shared circuits judged with other thresholds: each tenant's policy says when it
    /// stops trusting a provider, over the failure counts all tenants share.
    public func configured(_ configuration: Configuration) -> CircuitBreaker {
        CircuitBreaker(redis: redis, configuration: configuration)
    }

    static func key(_ provider: String) -> String { "{lp:circuit:\(provider)}" }

    /// Asks whether `provider` may be called now.
    public func acquire(_ provider: String) async throws -> Permission {
        try await grant(provider).permission
    }

    /// What `grant` decided, and whether a success must be reported.
    public struct Grant: Sendable, Equatable {
        /// Whether to call.
        public var permission: Permission
        /// False when the circuit was closed with no failure counted: a success would change
        /// nothing, so the caller skips its round trip (most calls, on a healthy provider).
        public var reportsSuccess: Bool
    }

    /// `acquire`, also saying whether a success needs reporting.
    public func grant(_ provider: String) async throws -> Grant {
        let verdict = try await redis.run(
            Self.acquireScript, keys: [Self.key(provider)],
            arguments: [Int(configuration.cooldown.milliseconds), Int(configuration.probeTimeout.milliseconds)]
        ).string
        switch verdict {
        case "clean": return Grant(permission: .call, reportsSuccess: false)
        case "call": return Grant(permission: .call, reportsSuccess: true)
        case "probe": return Grant(permission: .probe, reportsSuccess: true)
        default: return Grant(permission: .refused, reportsSuccess: false)
        }
    }

    /// Reports a call's outcome. Only failures that say something about the provider's health count
    /// (the chain does not report a context-too-long or a bad request).
    public func record(_ provider: String, success: Bool) async throws {
        try await redis.run(
            Self.recordScript, keys: [Self.key(provider)],
            arguments: [success ? "1" : "0", configuration.failureThreshold]
        )
    }

    /// The circuit's state for operators: `closed`, `open` or `half-open`.
    public func state(_ provider: String) async throws -> String {
        try await redis.send(RedisCommand("HGET", Self.key(provider), "state")).string ?? "closed"
    }

    private static let clock = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

        """

    /// KEYS: circuit hash. ARGV: cooldown ms, probe timeout ms. Returns `clean` (closed, no
    /// failure counted), `call`, `probe` or `refused`.
    static let acquireScript = RedisScript(
        name: "circuit.acquire",
        source: clock + """
            local circuit = redis.call('HMGET', KEYS[1], 'state', 'failures')
            local state = circuit[1] or 'closed'
            if state == 'closed' then
                if tonumber(circuit[2] or '0') == 0 then return 'clean' end
                return 'call'
            end
            if state == 'open' then
                local opened = tonumber(redis.call('HGET', KEYS[1], 'opened_at') or '0')
                if now < opened + tonumber(ARGV[1]) then return 'refused' end
                redis.call('HSET', KEYS[1], 'state', 'half-open', 'probe_until', now + tonumber(ARGV[2]))
                return 'probe'
            end
            -- half-open: one probe at a time; a probe that never reported lets another try.
            local probeUntil = tonumber(redis.call('HGET', KEYS[1], 'probe_until') or '0')
            if now < probeUntil then return 'refused' end
            redis.call('HSET', KEYS[1], 'probe_until', now + tonumber(ARGV[2]))
            return 'probe'
            """
    )

    /// KEYS: circuit hash. ARGV: success (1/0), failure threshold.
    static let recordScript = RedisScript(
        name: "circuit.record",
        source: clock + """
            if ARGV[1] == '1' then
                redis.call('HSET', KEYS[1], 'state', 'closed', 'failures', 0)
                return 'closed'
            end
            local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
            local state = redis.call('HGET', KEYS[1], 'state') or 'closed'
            if state == 'half-open' or (state == 'closed' and failures >= tonumber(ARGV[2])) then
                redis.call('HSET', KEYS[1], 'state', 'open', 'opened_at', now)
                return 'open'
            end
            return state
            """
    )
}
