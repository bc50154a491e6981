import Foundation

/// Tenants and their API keys in PostgreSQL, always through the tenant door.
public struct TenantStore: Sendable {
    private let pool: PostgresPool

    /// Creates a store over the server's pool (the `leopost_app` role).
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// A tenant just created, with the only copy of its first API key.
    public struct CreatedTenant: Sendable, Equatable {
        /// The new tenant's id.
        public let tenantID: TenantID
        /// Its first API key, in full; not retrievable later.
        public let apiKey: String
    }

    /// Creates a tenant and its first API key.
    /// - Throws: `StoreError.invalidInput` for an empty or overlong name.
    public func createTenant(name: String) async throws -> CreatedTenant {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(name.count) else {
            throw StoreError(code: .invalidInput, message: "a tenant name must have 1 to 200 characters")
        }
        let tenantID = TenantID.random()
        let key = try APIKey.generate(for: tenantID)
        try await pool.withTenantTransaction(tenantID.rawValue) { connection in
            try connection.execute("INSERT INTO tenants (tenant_id, name) VALUES (\(tenantID.rawValue), \(name))")
            try connection.execute(
                "INSERT INTO api_keys (id, tenant_id, key_hash, label) VALUES (\(UUID.random()), \(tenantID.rawValue), \(key.hash), 'initial')"
            )
        }
        return CreatedTenant(tenantID: tenantID, apiKey: key.text)
    }

    /// The tenant an API key belongs to, or `nil` when the key is unknown, revoked or malformed.
    public func tenant(forAPIKey text: String) async throws -> TenantID? {
        guard let key = APIKey(text) else { return nil }
        let hash = key.hash
        let found = try await pool.tenantQuery(key.tenantID.rawValue, "SELECT 1 FROM api_keys WHERE key_hash = \(hash) AND revoked_at IS NULL").count
        return found == 1 ? key.tenantID : nil
    }

    /// True when the tenant exists (its row is visible under its own id).
    public func exists(_ tenantID: TenantID) async throws -> Bool {
        try await pool.tenantQuery(tenantID.rawValue, "SELECT 1 FROM tenants").count == 1
    }
}
