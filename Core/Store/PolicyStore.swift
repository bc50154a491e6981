/// Each tenant's policy document in PostgreSQL, stored as the YAML the tenant wrote (validated first).
public struct PolicyStore: Sendable {
    private let pool: PostgresPool
    private let rules: PolicyParser.Rules

    /// Creates a store over the server's pool.
    /// - Parameter rules: what the operator lets policies name; every document is read under them,
    ///   so a stored policy that names what is no longer allowed is refused when used, naming the line.
    public init(pool: PostgresPool, rules: PolicyParser.Rules = .init()) {
        self.pool = pool
        self.rules = rules
    }

    /// Validates `document` and stores it for `tenant`, replacing the previous one.
    /// - Throws: `PolicyValidationError` (nothing is stored then).
    @discardableResult
    public func apply(_ document: String, tenant: TenantID) async throws -> RoutingPolicy {
        let policy = try await PolicyParser.parseDetached(document, rules: rules)
        _ = try await pool.tenantQuery(
            tenant.rawValue,
            """
            INSERT INTO policies (tenant_id, document) VALUES (\(tenant.rawValue), \(document))
            ON CONFLICT (tenant_id) DO UPDATE SET document = excluded.document, revision = policies.revision + 1, updated_at = now()
            """
        )
        return policy
    }

    /// The tenant's effective policy: its stored document, or the default when it has none.
    public func effective(tenant: TenantID) async throws -> RoutingPolicy {
        let document = try await pool.tenantQuery(tenant.rawValue, "SELECT document FROM policies").first.map {
            try $0.decode(String.self, column: "document")
        }
        return try document.map { try PolicyParser.parse($0, rules: rules) } ?? .default
    }
}
