public import Logging

/// Applies the migrations compiled into this binary, each exactly once, in order.
///
/// Safe when several processes start at once: they serialize on a PostgreSQL advisory lock, and
/// each migration and its bookkeeping row commit in one transaction, so a crash mid-way leaves the
/// database at the previous version.
public struct MigrationRunner: Sendable {
    /// Key of the advisory lock held while migrating ("LEOPOST" in ASCII).
    static let lockKey: Int64 = 0x4C45_4F50_4F53_54

    private let migrations: [Migration]
    private let logger: Logger

    /// Creates a runner for `migrations` (every shipped migration by default).
    public init(migrations: [Migration] = Migration.all, logger: Logger) {
        precondition(Set(migrations.map(\.version)).count == migrations.count, "migration versions must be unique")
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.logger = logger
    }

    /// Applies what is missing over a connection that may create tables and roles (the owner).
    /// - Returns: the versions applied now; empty when the database was up to date.
    @discardableResult
    public func migrate(_ pool: PostgresPool) async throws -> [Int] {
        try await pool.withConnection { [migrations, logger] connection in
            try connection.execute("SELECT pg_advisory_lock(\(Self.lockKey))")
            defer { _ = try? connection.execute("SELECT pg_advisory_unlock(\(Self.lockKey))") }
            try connection.simpleQuery(
                """
                CREATE TABLE IF NOT EXISTS leopost_schema_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """
            )
            let applied = Set(try connection.query("SELECT version FROM leopost_schema_migrations").map { try $0.decode(Int.self, at: 0) })
            var now: [Int] = []
            for migration in migrations where !applied.contains(migration.version) {
                try connection.withTransaction { connection in
                    try connection.simpleQuery(migration.sql)
                    try connection.execute(
                        "INSERT INTO leopost_schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))"
                    )
                }
                logger.notice(
                    "applied database migration",
                    metadata: [LogKey.migrationVersion: "\(migration.version)", LogKey.migrationName: "\(migration.name)"])
                now.append(migration.version)
            }
            return now
        }
    }
}
