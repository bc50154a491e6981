import Foundation
import LeopostCore
import Testing

/// Statements sent as one pipeline come back in order, a failure stops and rolls back the rest,
/// and the connection is ready for the next caller afterwards.
@Suite("PostgreSQL pipelines")
struct PostgresPipelineTests {
    @Test func resultsComeBackInOrderWithTheirBinds() async throws {
        try await PostgresTestDatabase.withPool(maxConnections: 1) { pool in
            let results = try await pool.withConnection { connection in
                try connection.pipeline(["SELECT \(1) AS n", "SELECT \("two") AS n", "SELECT generate_series(1, 3) AS n"])
            }
            #expect(results.count == 3)
            #expect(try results[0].singleRow?.decode(Int.self, column: "n") == 1)
            #expect(try results[1].singleRow?.decode(String.self, column: "n") == "two")
            #expect(results[2].count == 3)
        }
    }

    @Test func aFailureStopsTheRestRollsBackAndLeavesTheConnectionUsable() async throws {
        let table = PostgresTestDatabase.uniqueName("leopost_test_pipeline")
        try await PostgresTestDatabase.withPool(maxConnections: 1) { pool in
            try await pool.execute("CREATE TABLE \(unsafe: table) (n int)")
            let before = try await pool.query("SELECT pg_backend_pid() AS pid").singleRow?.decode(Int.self, column: "pid")
            // An implicit transaction: the insert before the failure is undone.
            let implicit = try await #require(throws: PostgresError.self) {
                try await pool.withConnection { connection in
                    try connection.pipeline([
                        "INSERT INTO \(unsafe: table) VALUES (1)", "SELECT 1 / 0", "INSERT INTO \(unsafe: table) VALUES (2)",
                    ])
                }
            }
            #expect(implicit.sqlState == "22012")
            // An explicit one, as a tenant transaction sends it: rolled back, not left open and failed.
            let explicit = try await #require(throws: PostgresError.self) {
                try await pool.tenantStatements(UUID(), ["INSERT INTO \(unsafe: table) VALUES (3)", "SELECT 1 / 0"])
            }
            #expect(explicit.sqlState == "22012")
            let rows = try await pool.query("SELECT count(*) AS n FROM \(unsafe: table)").singleRow?.decode(Int.self, column: "n")
            #expect(rows == 0)
            let after = try await pool.query("SELECT pg_backend_pid() AS pid").singleRow?.decode(Int.self, column: "pid")
            #expect(before == after, "the same connection must survive a failed pipeline")
            try await pool.execute("DROP TABLE \(unsafe: table)")
        }
    }

    @Test func tenantStatementsSeeTheTenantAndCommit() async throws {
        let table = PostgresTestDatabase.uniqueName("leopost_test_pipeline")
        let tenant = UUID()
        try await PostgresTestDatabase.withPool(maxConnections: 1) { pool in
            try await pool.execute("CREATE TABLE \(unsafe: table) (tenant text)")
            let results = try await pool.tenantStatements(
                tenant,
                [
                    "INSERT INTO \(unsafe: table) VALUES (current_setting('app.current_tenant', true))",
                    "SELECT current_setting('app.current_tenant', true) AS tenant",
                ])
            #expect(results.count == 2)
            #expect(try results[1].singleRow?.decode(String.self, column: "tenant") == tenant.uuidString.lowercased())
            let stored = try await pool.query("SELECT tenant FROM \(unsafe: table)").singleRow?.decode(String.self, column: "tenant")
            #expect(stored == tenant.uuidString.lowercased())
            let outside = try await pool.query("SELECT current_setting('app.current_tenant', true) AS tenant").singleRow?
                .decode(String?.self, column: "tenant")
            #expect((outside ?? nil ?? "").isEmpty, "the tenant setting must end with the transaction")
            try await pool.execute("DROP TABLE \(unsafe: table)")
        }
    }

    /// `BEGIN` and the tenant setting wait for the body's first statement and go with it.
    @Test func aTransactionOpensWithItsFirstStatementAndStaysOneTransaction() async throws {
        let table = PostgresTestDatabase.uniqueName("leopost_test_deferred")
        try await PostgresTestDatabase.withPool(maxConnections: 1) { pool in
            try await pool.execute("CREATE TABLE \(unsafe: table) (n int)")
            let before = try await pool.query("SELECT pg_backend_pid() AS pid").singleRow?.decode(Int.self, column: "pid")
            // The first statement carried BEGIN; its failure, caught, must not end the transaction
            // (what follows would then commit on its own).
            let swallowed = try await #require(throws: PostgresError.self) {
                try await pool.withTenantTransaction(UUID()) { connection in
                    _ = try? connection.query("SELECT 1 / 0")
                    _ = try? connection.execute("INSERT INTO \(unsafe: table) VALUES (1)")
                }
            }
            #expect(swallowed.sqlState == "25P02")
            // A body that runs nothing sends nothing, and one that throws first leaves no transaction behind.
            #expect(try await pool.withTenantTransaction(UUID()) { _ in 7 } == 7)
            struct Refused: Error {}
            await #expect(throws: Refused.self) { try await pool.withTenantTransaction(UUID()) { _ in throw Refused() } }
            let left = try await pool.query("SELECT coalesce(current_setting('app.current_tenant', true), '') AS tenant").singleRow?.decode(
                String.self, column: "tenant")
            #expect(left == "", "no tenant transaction may be left open on the connection")
            // Several statements after the opening are one transaction: both rows or neither.
            try await pool.withTenantTransaction(UUID()) { connection in
                try connection.execute("INSERT INTO \(unsafe: table) VALUES (2)")
                try connection.execute("INSERT INTO \(unsafe: table) VALUES (3)")
            }
            let rows = try await pool.query("SELECT array_agg(n ORDER BY n)::text AS ns FROM \(unsafe: table)").singleRow?.decode(
                String.self, column: "ns")
            #expect(rows == "{2,3}")
            let after = try await pool.query("SELECT pg_backend_pid() AS pid").singleRow?.decode(Int.self, column: "pid")
            #expect(before == after)
            try await pool.execute("DROP TABLE \(unsafe: table)")
        }
    }
}
