public import Foundation

/// One-time codes that link a channel sender to a person: shown in the web chat, sent to the bot
/// as `/link CODE`. A code lives ten minutes, works once, and only within its tenant.
public struct LinkCodes: Sendable {
    private let redis: RedisClient
    /// How long a code stays valid.
    public static let lifetime = 600

    /// Creates the code book on the shared Redis.
    public init(redis: RedisClient) {
        self.redis = redis
    }

    /// Letters and digits that cannot be mistaken for one another when typed from a screen.
    static let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")

    static func key(_ code: String, tenant: TenantID) -> String { "{lp:link:\(tenant)}:\(code)" }

    /// A new code for `userID`.
    public func issue(for userID: UUID, tenant: TenantID) async throws -> String {
        let bytes = try SecureRandom.bytes(count: 8)
        let code = String(bytes.map { Self.alphabet[Int($0) % Self.alphabet.count] })
        try await redis.send(RedisCommand("SET", Self.key(code, tenant: tenant), userID.uuidString, "EX", Self.lifetime))
        return code
    }

    /// The user a code was issued for, consuming it; `nil` for an unknown, used or expired code.
    public func redeem(_ code: String, tenant: TenantID) async throws -> UUID? {
        let normalized = code.uppercased().filter { Self.alphabet.contains($0) }
        guard normalized.count == 8 else { return nil }
        return try await redis.send(RedisCommand("GETDEL", Self.key(normalized, tenant: tenant))).string.flatMap(UUID.init(uuidString:))
    }
}
