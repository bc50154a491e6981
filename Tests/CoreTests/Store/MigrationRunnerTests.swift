import Foundation
import LeopostCore
import LeopostTestSupport
import Testing

@Suite("Migrations")
struct MigrationRunnerTests {
    let logger = TestEnvironment.logger()

    @Test func applyOnceEvenWhenTwoProcessesStartTogether() async throws {
        try await TestDatabase.with(logger: logger) { database in
            // TestDatabase migrated once; two more runners racing find nothing to do.
            var configuration = database.owner.configuration
            configuration.maxConnections = 1
            let second = PostgresPool(configuration: configuration, logger: logger)
            async let first = MigrationRunner(logger: logger).migrate(database.owner)
            async let other = MigrationRunner(logger: logger).migrate(second)
            let (a, b) = try await (first, other)
            #expect(a.isEmpty && b.isEmpty)
            let versions = try await database.owner.query("SELECT version FROM leopost_schema_migrations ORDER BY version")
                .map { try $0.decode(Int.self, at: 0) }
            #expect(versions == Migration.all.map(\.version))
            await second.close()
        }
    }

    @Test func racingFirstMigrationsApplyEachVersionOnce() async throws {
        let admin = PostgresPool(configuration: try PostgresConfiguration(url: TestEnvironment.databaseURL()), logger: logger)
        let name = "leopost_race_" + UUID().uuidString.prefix(8).lowercased()
        try await admin.execute(SQL(unsafe: "CREATE DATABASE \(name)"))
        var configuration = try PostgresConfiguration(url: TestEnvironment.databaseURL())
        configuration.database = name
        let pools = (0..<3).map { _ in PostgresPool(configuration: configuration, logger: logger) }
        let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
            for pool in pools { group.addTask { try await MigrationRunner(logger: logger).migrate(pool) } }
            return try await group.reduce(into: [Int]()) { $0 += $1 }
        }
        #expect(applied.sorted() == Migration.all.map(\.version))
        for pool in pools { await pool.close() }
        try await admin.execute(SQL(unsafe: "DROP DATABASE \(name) WITH (FORCE)"))
        await admin.close()
    }
}
