public import Foundation

/// A tenant's people: a web-chat token names a user, and the first request under a name creates it.
public struct UserStore: Sendable {
    private let pool: PostgresPool

    /// The user that requests made with the tenant's API key act as.
    public static let apiKeyUser = "api"

    /// Creates a store over the server's pool.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// The id of the user called `name` in `tenant`, created on first use.
    /// - Throws: `StoreError.invalidInput` for an empty or overlong name.
    public func resolve(name: String, tenant: TenantID) async throws -> UUID {
        guard (1...200).contains(name.count) else {
            throw StoreError(code: .invalidInput, message: "a user name must have 1 to 200 characters")
        }
        return try await pool.withTenantTransaction(tenant.rawValue) { connection in
            // Read first: almost every request finds its user, and a read takes no row lock.
            if let row = try connection.query("SELECT id FROM users WHERE name = \(name)").first { return try row.decode(UUID.self, column: "id") }
            return try connection.query(
                """
                INSERT INTO users (id, tenant_id, name) VALUES (\(UUID()), \(tenant.rawValue), \(name))
                ON CONFLICT (tenant_id, name) DO UPDATE SET name = excluded.name RETURNING id
                """
            )[0].decode(UUID.self, column: "id")
        }
    }

    /// The user a request acts as: the token's user, or the API-key user.
    public func user(of identity: TenantIdentity) async throws -> UUID {
        switch identity.credential {
        case .token(let user): try await resolve(name: user, tenant: identity.tenantID)
        case .apiKey: try await resolve(name: Self.apiKeyUser, tenant: identity.tenantID)
        }
    }

    /// The user whose own data a request is limited to: the token's user; `nil` (the whole
    /// tenant) for the API key.
    public func id(of identity: TenantIdentity) async throws -> UUID? {
        guard case .token = identity.credential else { return nil }
        return try await user(of: identity)
    }
}
