import Foundation

/// A tenant's people: a web-chat token names a user, and the first request under a name creates it.
public struct UserStore: Sendable {
    private let pool: PostgresPool

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
            // DO UPDATE (a no-op) rather than DO NOTHING, so RETURNING also gives an existing row's id.
            try connection.query(
                """
                INSERT INTO users (id, tenant_id, name) VALUES (\(UUID()), \(tenant.rawValue), \(name))
                ON CONFLICT (tenant_id, name) DO UPDATE SET name = excluded.name RETURNING id
                """
            )[0].decode(UUID.self, column: "id")
        }
    }
}
