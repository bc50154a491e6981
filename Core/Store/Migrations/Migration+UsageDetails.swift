extension Migration {
    /// What a usage record needs beyond tokens and cost: latency to the first token and in total,
    /// why a fallback happened, and which price table priced it.
    static let usageDetails = Migration(
        version: 3,
        name: "usage latency, fallback reason and price version",
        sql: """
            ALTER TABLE usage_records
                ADD COLUMN first_token_ms integer,
                ADD COLUMN total_ms integer,
                ADD COLUMN fallback_reason text,
                ADD COLUMN price_version text NOT NULL DEFAULT '',
                ADD COLUMN cost_nanodollars bigint NOT NULL DEFAULT 0;
            CREATE INDEX usage_by_day_provider ON usage_records (tenant_id, created_at, provider, model);
            """
    )
}
