extension Migration {
    /// What publishing needs beyond the canonical `posts`, `post_targets` and `social_accounts`:
    /// a post's media and lifecycle, each target's preview (length against the plugin's limit),
    /// when its attempt was sent (what `check_status` searches after) and where it landed, and an
    /// account's own API address, settings and connection state.
    static let publishing = Migration(
        version: 7,
        name: "publishing",
        sql: """
            ALTER TABLE posts ADD COLUMN media jsonb NOT NULL DEFAULT '[]';
            ALTER TABLE posts ADD CONSTRAINT posts_status CHECK (status IN ('draft', 'confirmed', 'cancelled'));

            ALTER TABLE post_targets ADD COLUMN preview jsonb NOT NULL DEFAULT '{}';
            ALTER TABLE post_targets ADD COLUMN remote_url text;
            ALTER TABLE post_targets ADD COLUMN sent_at timestamptz;
            ALTER TABLE post_targets ADD COLUMN published_at timestamptz;
            CREATE UNIQUE INDEX post_targets_one_per_platform ON post_targets (tenant_id, post_id, platform);

            ALTER TABLE social_accounts ADD COLUMN account_id text NOT NULL DEFAULT '';
            ALTER TABLE social_accounts ADD COLUMN base_url text;
            ALTER TABLE social_accounts ADD COLUMN settings jsonb NOT NULL DEFAULT '{}';
            ALTER TABLE social_accounts ADD COLUMN status text NOT NULL DEFAULT 'connected'
                CHECK (status IN ('connected', 'expired', 'disconnected'));
            ALTER TABLE social_accounts ADD COLUMN status_reason text;
            ALTER TABLE social_accounts ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
            """
    )
}
