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
        // Read first, in one round trip: almost every request finds its user, and a read takes no row lock.
        if let row = try await pool.tenantQuery(tenant.rawValue, "SELECT id FROM users WHERE name = \(name)").first {
            return try row.decode(UUID.self, column: "id")
        }
        return try await pool.withTenantTransaction(tenant.rawValue) { connection in
            try connection.query(
                """
                INSERT INTO users (id, tenant_id, name) VALUES (\(UUID.random()), \(tenant.rawValue), \(name))
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

    /// The person's time zone: their own, else the tenant's, else UTC. A name stored before this
    /// build knew it (or no longer knows it) falls back the same way.
    public func zone(of userID: UUID, tenant: TenantID) async throws -> TimeZone {
        try await zoneChoice(of: userID, tenant: tenant).zone
    }

    /// The person's zone as `zone(of:)` finds it, and whether anyone chose it (`false`: UTC, since
    /// neither the person nor the tenant set one, so the assistant should ask once).
    public func zoneChoice(of userID: UUID, tenant: TenantID) async throws -> (zone: TimeZone, known: Bool) {
        let row = try await pool.tenantQuery(
            tenant.rawValue,
            """
            SELECT u.time_zone AS own, t.time_zone AS tenant FROM users u JOIN tenants t ON t.tenant_id = u.tenant_id WHERE u.id = \(userID)
            """
        ).first
        let names = [try row?.decode(String?.self, column: "own"), try row?.decode(String?.self, column: "tenant")].compactMap { $0 ?? nil }
        guard let chosen = names.lazy.compactMap(LocalTime.zone(named:)).first else { return (LocalTime.utc, false) }
        return (chosen, true)
    }

    /// The time zone the person chose themselves, if any.
    public func ownZone(of userID: UUID, tenant: TenantID) async throws -> String? {
        try await pool.tenantQuery(tenant.rawValue, "SELECT time_zone FROM users WHERE id = \(userID)").first?.decode(
            String?.self, column: "time_zone")
    }

    /// Sets the person's time zone (`nil`: back to the tenant's).
    /// - Throws: `StoreError.invalidInput` for a name that is not an IANA time zone.
    public func setZone(_ name: String?, of userID: UUID, tenant: TenantID) async throws {
        if let name, LocalTime.zone(named: name) == nil {
            throw StoreError(code: .invalidInput, message: "time_zone: \(name) is not an IANA time zone name (like Europe/Berlin)")
        }
        _ = try await pool.tenantQuery(tenant.rawValue, "UPDATE users SET time_zone = \(name) WHERE id = \(userID)")
    }
}
