public import Foundation

/// Spending limits in nanodollars (10⁻⁹ USD); `nil` means no limit at that level.
public struct BudgetLimits: Sendable, Equatable {
    /// A tenant's spend per UTC day.
    public var tenantDaily: Int64?
    /// A tenant's spend per UTC month.
    public var tenantMonthly: Int64?
    /// One user's spend per UTC day.
    public var userDaily: Int64?
    /// The most a single message may cost.
    public var perMessage: Int64?

    /// Creates limits.
    public init(tenantDaily: Int64? = nil, tenantMonthly: Int64? = nil, userDaily: Int64? = nil, perMessage: Int64? = nil) {
        self.tenantDaily = tenantDaily
        self.tenantMonthly = tenantMonthly
        self.userDaily = userDaily
        self.perMessage = perMessage
    }
}

/// A budget refused a call: which level, so the policy can refuse or downgrade and the user is told why.
public struct BudgetExceeded: Error, Sendable, Equatable, CustomStringConvertible {
    /// `tenant daily`, `tenant monthly`, `user daily` or `per message`.
    public let level: String
    /// The worst-case cost that did not fit, in nanodollars.
    public let requested: Int64

    public var description: String {
        "the \(level) budget cannot cover this call (worst case \(String(format: "$%.6f", Double(requested) / 1e9)))"
    }
}

/// Reserves the worst case of a call against every budget level at once, atomically in Redis,
/// before the call; settles with the real cost after it.
///
/// All processes share the counters, and one Lua script checks and reserves every level in one
/// step, so no burst of concurrent calls can overspend (checking spend only after calls finish is
/// what makes other gateways overshoot). A failed or short call gives the unused part back.
public struct BudgetLedger: Sendable {
    private let redis: RedisClient

    /// Creates a ledger on the shared Redis.
    public init(redis: RedisClient) {
        self.redis = redis
    }

    /// An amount held against some counters until the call settles.
    public struct Reservation: Sendable, Equatable {
        /// The counters it was added to.
        public let keys: [String]
        /// How much was held, in nanodollars.
        public let amount: Int64
        let ttls: [Int]
    }

    /// Holds `amount` against every limited level, or throws `BudgetExceeded` naming the first that cannot take it.
    public func reserve(tenant: TenantID, user: String?, amount: Int64, limits: BudgetLimits, now: Date = Date()) async throws -> Reservation {
        if let cap = limits.perMessage, amount > cap { throw BudgetExceeded(level: "per message", requested: amount) }
        let (day, month) = Self.periods(now)
        let tag = "{lp:budget:\(tenant)}"
        var levels: [(name: String, key: String, limit: Int64, ttl: Int)] = []
        if let limit = limits.tenantDaily { levels.append(("tenant daily", "\(tag):day:\(day)", limit, 3 * 86_400)) }
        if let limit = limits.tenantMonthly { levels.append(("tenant monthly", "\(tag):month:\(month)", limit, 40 * 86_400)) }
        if let limit = limits.userDaily, let user { levels.append(("user daily", "\(tag):user:\(user):day:\(day)", limit, 3 * 86_400)) }
        let reservation = Reservation(keys: levels.map(\.key), amount: amount, ttls: levels.map(\.ttl))
        guard !levels.isEmpty else { return reservation }
        let refused =
            try await redis.run(
                Self.reserveScript, keys: reservation.keys,
                arguments: [amount] + levels.map { $0.limit as any RedisArgumentConvertible } + levels.map { $0.ttl as any RedisArgumentConvertible }
            ).int ?? 0
        if refused > 0 { throw BudgetExceeded(level: levels[refused - 1].name, requested: amount) }
        return reservation
    }

    /// Replaces the held amount with what the call really cost (0 for a call that produced nothing).
    public func settle(_ reservation: Reservation, actual: Int64) async throws {
        guard !reservation.keys.isEmpty, actual != reservation.amount else { return }
        try await redis.run(Self.settleScript, keys: reservation.keys, arguments: [actual - reservation.amount])
    }

    /// What a level's counter holds now (spent plus reserved), in nanodollars.
    public func used(tenant: TenantID, now: Date = Date()) async throws -> (day: Int64, month: Int64) {
        let (day, month) = Self.periods(now)
        let tag = "{lp:budget:\(tenant)}"
        let replies = try await redis.pipeline([RedisCommand("GET", "\(tag):day:\(day)"), RedisCommand("GET", "\(tag):month:\(month)")])
        return (Int64(replies[0].int ?? 0), Int64(replies[1].int ?? 0))
    }

    static func periods(_ now: Date) -> (day: String, month: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        let month = String(format: "%04d-%02d", parts.year!, parts.month!)
        return (month + String(format: "-%02d", parts.day!), month)
    }

    /// KEYS: level counters. ARGV: amount, one limit per key, one TTL per key.
    /// Returns 0 when reserved everywhere, else the 1-based index of the first level that refused.
    static let reserveScript = RedisScript(
        name: "budget.reserve",
        source: """
            local amount = tonumber(ARGV[1])
            local n = #KEYS
            for i = 1, n do
                local used = tonumber(redis.call('GET', KEYS[i]) or '0')
                if used + amount > tonumber(ARGV[1 + i]) then return i end
            end
            for i = 1, n do
                redis.call('INCRBY', KEYS[i], amount)
                redis.call('EXPIRE', KEYS[i], ARGV[1 + n + i])
            end
            return 0
            """
    )

    /// KEYS: level counters. ARGV: the difference to apply (negative releases).
    static let settleScript = RedisScript(
        name: "budget.settle",
        source: """
            for i = 1, #KEYS do redis.call('INCRBY', KEYS[i], ARGV[1]) end
            return 0
            """
    )
}
