public import Foundation

/// Who a channel's sender is: `(channel, external id) → user`, per tenant. A sender without an
/// identity is not linked, and nothing they write reaches the AI.
public struct IdentityStore: Sendable {
    private let pool: PostgresPool

    /// Creates a store over the server's pool.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// The user linked to `externalID` on `channel`, or `nil`.
    public func user(channel: String, externalID: String, tenant: TenantID) async throws -> UUID? {
        try await pool.tenantQuery(tenant.rawValue, "SELECT user_id FROM identities WHERE channel = \(channel) AND external_id = \(externalID)")
            .first.map { try $0.decode(UUID.self, column: "user_id") }
    }

    /// Links `externalID` on `channel` to `userID` (replacing an earlier link of that sender).
    public func link(channel: String, externalID: String, to userID: UUID, tenant: TenantID) async throws {
        _ = try await pool.tenantQuery(
            tenant.rawValue,
            """
            INSERT INTO identities (id, tenant_id, user_id, channel, external_id) VALUES (\(UUID.random()), \(tenant.rawValue), \(userID), \(channel), \(externalID))
            ON CONFLICT (tenant_id, channel, external_id) DO UPDATE SET user_id = excluded.user_id
            """
        )
    }
}
