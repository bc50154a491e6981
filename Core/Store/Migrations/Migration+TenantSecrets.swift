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
            """ + isolation(of: "tenant_secrets")
    )
}
