extension Migration {
    /// The tables every tenant-data query may touch; each gets the isolation policy below.
    static let tenantTables = [
        "tenants", "api_keys", "users", "identities", "channel_connections", "conversations", "messages",
        "brand_profiles", "policies", "usage_records", "social_accounts", "posts", "post_targets", "feedback",
    ]

    /// Row-level security on every tenant table, enabled and forced (so even the owner is bound),
    /// and `leopost_app`, the role the server works as: it owns nothing and sees only the rows
    /// of the tenant its transaction names in `app.current_tenant`. With no tenant set, it sees
    /// nothing at all.
    static let tenantIsolation = Migration(
        version: 2,
        name: "row-level tenant isolation and the leopost_app role",
        sql: """
            DO $$
            BEGIN
                -- Roles are cluster-wide: another database of the cluster may have made it already.
                CREATE ROLE leopost_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;
            END
            $$;
            GRANT leopost_app TO CURRENT_USER;
            GRANT USAGE ON SCHEMA public TO leopost_app;

            """
                + tenantTables.map { isolation(of: $0) + "\n" }.joined()
    )

    /// Row-level security for one tenant table, enabled and forced, with the tenant policy and the
    /// server role's grants: what every migration that adds a tenant table ends with.
    static func isolation(of table: String) -> String {
        """
        ALTER TABLE \(table) ENABLE ROW LEVEL SECURITY;
        ALTER TABLE \(table) FORCE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON \(table)
            USING (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
        GRANT SELECT, INSERT, UPDATE, DELETE ON \(table) TO leopost_app;

        """
    }
}
