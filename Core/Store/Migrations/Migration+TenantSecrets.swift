extension Migration {
    /// Secrets a tenant stores for its policy (`api_key: secret:NAME`): sealed with AES-256-GCM
    /// under the master key, bound to the tenant and the name, under the same row-level isolation
    /// as every other tenant table.
    static let tenantSecrets = Migration(
        version: 5,
        name: "tenant secrets",
        sql: """
            CREATE TABLE tenant_secrets (
                tenant_id uuid NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
                name text NOT NULL CHECK (name ~ '^[A-Za-z0-9_.-]{1,64}$'),
                sealed bytea NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (tenant_id, name)
            );
            ALTER TABLE tenant_secrets ENABLE ROW LEVEL SECURITY;
            ALTER TABLE tenant_secrets FORCE ROW LEVEL SECURITY;
            CREATE POLICY tenant_isolation ON tenant_secrets
                USING (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
                WITH CHECK (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
            GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_secrets TO leopost_app;
            """
    )
}
