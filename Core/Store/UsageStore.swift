import Foundation

/// Usage records in PostgreSQL, and the spend report built from them.
public struct UsageStore: Sendable {
    private let pool: PostgresPool

    /// Creates a store over the server's pool.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Stores one call's record for `tenant`.
    public func record(_ record: UsageRecord, tenant: TenantID) async throws {
        try await self.record([record], tenant: tenant)
    }

    /// Stores the records of one answer's calls for `tenant`, in one transaction and one round trip.
    public func record(_ records: [UsageRecord], tenant: TenantID) async throws {
        guard !records.isEmpty else { return }
        let statements: [SQL] = records.map { record in
            """
            INSERT INTO usage_records (id, tenant_id, conversation_id, message_id, provider, model, input_tokens, output_tokens,
                cache_read_tokens, cost_usd, cost_nanodollars, estimated, outcome, fallback_reason, first_token_ms, total_ms, price_version)
            VALUES (\(UUID.random()), \(tenant.rawValue), \(record.conversationID), \(record.messageID), \(record.provider), \(record.model),
                \(record.usage.input), \(record.usage.output), \(record.usage.cacheRead), \(Double(record.costNanodollars) / 1e9)::numeric,
                \(record.costNanodollars), \(record.estimated), \(record.outcome), \(record.fallbackReason),
                \(record.firstTokenMilliseconds), \(record.totalMilliseconds), \(record.priceVersion))
            """
        }
        _ = try await pool.tenantStatements(tenant.rawValue, statements)
    }

    /// One line of the spend report.
    public struct Line: Sendable, Equatable, Codable {
        /// UTC day, `YYYY-MM-DD`.
        public var day: String
        /// Provider kind.
        public var provider: String
        /// Model.
        public var model: String
        /// Calls made.
        public var calls: Int
        /// Input tokens.
        public var inputTokens: Int
        /// Output tokens.
        public var outputTokens: Int
        /// Spend in nanodollars.
        public var costNanodollars: Int64
    }

    /// Spend by day, provider and model over the last `days` days, newest day first.
    public func report(tenant: TenantID, days: Int = 30) async throws -> [Line] {
        let since = Date().addingTimeInterval(-Double(days) * 86_400)
        return try await pool.withTenantTransaction(tenant.rawValue) { connection in
            try connection.query(
                """
                SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, provider, model, count(*)::int AS calls,
                    sum(input_tokens)::bigint AS input, sum(output_tokens)::bigint AS output, sum(cost_nanodollars)::bigint AS cost
                FROM usage_records WHERE created_at >= \(since)
                GROUP BY 1, 2, 3 ORDER BY 1 DESC, 2, 3
                """
            ).map { row in
                Line(
                    day: try row.decode(String.self, column: "day"), provider: try row.decode(String.self, column: "provider"),
                    model: try row.decode(String.self, column: "model"), calls: try row.decode(Int.self, column: "calls"),
                    inputTokens: try row.decode(Int.self, column: "input"), outputTokens: try row.decode(Int.self, column: "output"),
                    costNanodollars: try row.decode(Int64.self, column: "cost")
                )
            }
        }
    }
}
