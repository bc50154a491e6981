/// The request budgets a platform imposes, kept in Redis so every publish worker shares them:
/// the manifest's limits per account and per app (GCRA), and the cool-down a platform asked for
/// in a rate-limit answer, which holds every job of that account until it passes.
struct PlatformRateLimits: Sendable {
    private let redis: RedisClient
    private let limiter: RateLimiter

    init(redis: RedisClient) {
        self.redis = redis
        self.limiter = RateLimiter(redis: redis)
    }

    /// How long to wait before calling `plugin` for `account`, or `nil` to go ahead (which counts
    /// the call against the budgets).
    func wait(_ plugin: LoadedPlugin, account: String) async throws -> Duration? {
        let cooling = try await redis.send(RedisCommand("PTTL", cooldownKey(plugin.name, account))).int ?? -2
        if cooling > 0 { return .milliseconds(cooling) }
        let limits = plugin.manifest.rateLimits
        if let limit = limits?.perAccount,
            case .limited(let wait) = try await limiter.check(
                "platform:\(plugin.name):account:\(account)", limit: .init(count: limit.requests, per: .seconds(limit.seconds)))
        {
            return wait
        }
        if let limit = limits?.perApp,
            case .limited(let wait) = try await limiter.check(
                "platform:\(plugin.name):app", limit: .init(count: limit.requests, per: .seconds(limit.seconds)))
        {
            return wait
        }
        return nil
    }

    /// Holds calls for `account` on `plugin` for `duration`, as the platform asked.
    func coolDown(_ plugin: LoadedPlugin, account: String, for duration: Duration) async throws {
        guard duration > .zero else { return }
        _ = try await redis.send(RedisCommand("SET", cooldownKey(plugin.name, account), "1", "PX", Int(duration.milliseconds)))
    }

    private func cooldownKey(_ platform: String, _ account: String) -> String {
        "{lp:platform:\(platform)}:cooldown:\(account)"
    }
}
