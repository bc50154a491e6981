import Foundation

/// Each tenant's brand profile; a tenant that has not described its brand gets an empty one.
public struct BrandStore: Sendable {
    private let pool: PostgresPool

    /// Creates a store over the server's pool.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// The tenant's profile, empty when none was saved.
    public func profile(tenant: TenantID) async throws -> BrandProfile {
        try await pool.withTenantTransaction(tenant.rawValue) { connection in
            guard let row = try connection.query("SELECT name, voice, audience, industry, notes FROM brand_profiles").first else {
                return BrandProfile()
            }
            return BrandProfile(
                name: try row.decode(column: "name"), voice: try row.decode(column: "voice"), audience: try row.decode(column: "audience"),
                industry: try row.decode(column: "industry"), notes: try row.decode(column: "notes")
            )
        }
    }

    /// Replaces the tenant's profile.
    /// - Throws: `StoreError.invalidInput` naming a field over `BrandProfile.fieldLimit`.
    public func save(_ profile: BrandProfile, tenant: TenantID) async throws {
        let fields = [
            "name": profile.name, "voice": profile.voice, "audience": profile.audience, "industry": profile.industry, "notes": profile.notes,
        ]
        if let long = fields.sorted(by: { $0.key < $1.key }).first(where: { $0.value.count > BrandProfile.fieldLimit }) {
            throw StoreError(code: .invalidInput, message: "\(long.key) has \(long.value.count) characters; the limit is \(BrandProfile.fieldLimit)")
        }
        _ = try await pool.tenantQuery(
            tenant.rawValue,
            """
            INSERT INTO brand_profiles (tenant_id, name, voice, audience, industry, notes)
            VALUES (\(tenant.rawValue), \(profile.name), \(profile.voice), \(profile.audience), \(profile.industry), \(profile.notes))
            ON CONFLICT (tenant_id) DO UPDATE SET name = excluded.name, voice = excluded.voice, audience = excluded.audience,
                industry = excluded.industry, notes = excluded.notes, updated_at = now()
            """
        )
    }
}
