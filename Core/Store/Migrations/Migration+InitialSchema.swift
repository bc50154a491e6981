extension Migration {
    /// The canonical model of DESIGN §3.
    ///
    /// Every table holding tenant data carries `tenant_id`, and references between tenant tables
    /// are composite `(tenant_id, id)` foreign keys: PostgreSQL checks foreign keys without
    /// row-level security, so a single-column key would let one tenant point at another's row.
    static let initialSchema = Migration(
        version: 1,
        name: "canonical model",
        sql: """
            CREATE TABLE tenants (
                tenant_id uuid PRIMARY KEY,
                name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
                created_at timestamptz NOT NULL DEFAULT now()
            );

            CREATE TABLE api_keys (
                id uuid PRIMARY KEY,
                tenant_id uuid NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
                key_hash bytea NOT NULL UNIQUE,
                label text NOT NULL DEFAULT '',
                created_at timestamptz NOT NULL DEFAULT now(),
                revoked_at timestamptz
            );

            CREATE TABLE users (
                id uuid PRIMARY KEY,
                tenant_id uuid NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
                name text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                UNIQUE (tenant_id, id),
                UNIQUE (tenant_id, name)
            );

            CREATE TABLE identities (
                id uuid PRIMARY KEY,
                tenant_id uuid NOT NULL,
                user_id uuid NOT NULL,
                channel text NOT NULL,
                external_id text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
                UNIQUE (tenant_id, channel, external_id)
            );

            CREATE TABLE channel_connections (
                id uuid PRIMARY KEY,
                tenant_id uuid NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
                channel text NOT NULL,
                name text NOT NULL,
                sealed_secret bytea,
                settings jsonb NOT NULL DEFAULT '{}',
                created_at timestamptz NOT NULL DEFAULT now(),
                UNIQUE (tenant_id, id),
                UNIQUE (tenant_id, channel, name)
            );

            CREATE TABLE conversations (
                id uuid PRIMARY KEY,
                tenant_id uuid NOT NULL,
                user_id uuid NOT NULL,
                channel text NOT NULL,
                connection_id uuid,
                title text NOT NULL DEFAULT '',
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now(),
                FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
                FOREIGN KEY (tenant_id, connection_id) REFERENCES channel_connections (tenant_id, id),
                UNIQUE (tenant_id, id)
            );
            CREATE INDEX conversations_by_user ON conversations (tenant_id, user_id, updated_at DESC);

            CREATE TABLE messages (
                id uuid PRIMARY KEY,
                tenant_id uuid NOT NULL,
                conversation_id uuid NOT NULL,
                direction text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
                channel text NOT NULL,
                parts jsonb NOT NULL,
                external_id text,
                reply_to uuid,
                status text NOT NULL DEFAULT 'received',
                created_at timestamptz NOT NULL DEFAULT now(),
                FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id) ON DELETE CASCADE,
                UNIQUE (tenant_id, id)
            );
            CREATE INDEX messages_by_conversation ON messages (tenant_id, conversation_id, created_at, id);
            CREATE UNIQUE INDEX messages_external_once ON messages (tenant_id, channel, external_id)
                WHERE external_id IS NOT NULL;

            CREATE TABLE brand_profiles (
                tenant_id uuid PRIMARY KEY REFERENCES tenants (tenant_id) ON DELETE CASCADE,
                name text NOT NULL DEFAULT '',
                voice text NOT NULL DEFAULT '',
                audience text NOT NULL DEFAULT '',
                industry text NOT NULL DEFAULT '',
                notes text NOT NULL DEFAULT '',
                updated_at timestamptz NOT NULL DEFAULT now()
            );

            CREATE TABLE policies (
                tenant_id uuid PRIMARY KEY REFERENCES tenants (tenant_id) ON DELETE CASCADE,
                document text NOT NULL,
                revision integer NOT NULL DEFAULT 1,
                updated_at timestamptz NOT NULL DEFAULT now()
            );

            CREATE TABLE usage_records (
                id uuid PRIMARY KEY,
                tenant_id uuid NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
                conversation_id uuid,
                message_id uuid,
                user_id uuid,
                provider text NOT NULL,
                model text NOT NULL,
                input_tokens bigint NOT NULL DEFAULT 0,
                output_tokens bigint NOT NULL DEFAULT 0,
                cache_read_tokens bigint NOT NULL DEFAULT 0,
                cost_usd numeric(14, 8) NOT NULL DEFAULT 0,
                estimated boolean NOT NULL DEFAULT false,
                outcome text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX usage_by_time ON usage_records (tenant_id, created_at);

            CREATE TABLE social_accounts (
                id uuid PRIMARY KEY,
                tenant_id uuid NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
                platform text NOT NULL,
                account_name text NOT NULL,
                sealed_tokens bytea NOT NULL,
                expires_at timestamptz,
                created_at timestamptz NOT NULL DEFAULT now(),
                UNIQUE (tenant_id, id),
                UNIQUE (tenant_id, platform, account_name)
            );

            CREATE TABLE posts (
                id uuid PRIMARY KEY,
                tenant_id uuid NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
                conversation_id uuid,
                text text NOT NULL,
                status text NOT NULL DEFAULT 'draft',
                scheduled_at timestamptz,
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now(),
                FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id) ON DELETE SET NULL (conversation_id),
                UNIQUE (tenant_id, id)
            );

            CREATE TABLE post_targets (
                id uuid PRIMARY KEY,
                tenant_id uuid NOT NULL,
                post_id uuid NOT NULL,
                platform text NOT NULL,
                social_account_id uuid,
                status text NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('draft', 'queued', 'publishing', 'published', 'failed', 'unconfirmed', 'cancelled')),
                remote_id text,
                idempotency_key text NOT NULL,
                attempts integer NOT NULL DEFAULT 0,
                last_error text,
                updated_at timestamptz NOT NULL DEFAULT now(),
                FOREIGN KEY (tenant_id, post_id) REFERENCES posts (tenant_id, id) ON DELETE CASCADE,
                FOREIGN KEY (tenant_id, social_account_id) REFERENCES social_accounts (tenant_id, id),
                UNIQUE (tenant_id, idempotency_key)
            );

            CREATE TABLE feedback (
                id uuid PRIMARY KEY,
                tenant_id uuid NOT NULL,
                message_id uuid NOT NULL,
                user_id uuid,
                rating text NOT NULL CHECK (rating IN ('up', 'down')),
                created_at timestamptz NOT NULL DEFAULT now(),
                FOREIGN KEY (tenant_id, message_id) REFERENCES messages (tenant_id, id) ON DELETE CASCADE,
                UNIQUE (tenant_id, message_id, user_id)
            );
            """
    )
}
