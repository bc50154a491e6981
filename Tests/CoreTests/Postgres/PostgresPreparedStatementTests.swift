import Foundation
import Logging
import Testing

@testable import LeopostCore

/// Statements are prepared once per connection and only executed after that; the cache stays
/// within its size, heals when the server lost or must re-plan a statement, and a failure never
/// turns a caller's transaction into autocommit.
@Suite("PostgreSQL prepared statements")
struct PostgresPreparedStatementTests {
    /// Runs `body` on one connection of its own, closed afterwards.
    func withConnection(capacity: Int = 256, _ body: (PostgresConnection) throws -> Void) throws {
        var configuration = try PostgresTestDatabase.configuration()
        configuration.statementCacheCapacity = capacity
        let connection = try PostgresConnection.connect(configuration, logger: PostgresTestDatabase.logger)
        defer { connection.close() }
        try body(connection)
    }

    /// How many statements the session holds prepared with `text`.
    func prepared(_ text: String, on connection: PostgresConnection) throws -> Int {
        try connection.query("SELECT count(*) AS n FROM pg_prepared_statements WHERE statement = \(text)").singleRow?.decode(
            Int.self, column: "n") ?? -1
    }

    @Test func aStatementIsPreparedOnceAndRunsWithNewBindsEachTime() throws {
        try withConnection { connection in
            let text = "SELECT $1::int + 1 AS n"
            for value in 1...3 {
                #expect(try connection.query("SELECT \(value)::int + 1 AS n").singleRow?.decode(Int.self, column: "n") == value + 1)
            }
            #expect(try prepared(text, on: connection) == 1)
            // In a pipeline too, and one text twice in one pipeline is prepared once.
            let pipelined = "SELECT $1::text || '!' AS s"
            let results = try connection.pipeline(["SELECT \("a")::text || '!' AS s", "SELECT \("b")::text || '!' AS s"])
            #expect(try results.map { try $0.singleRow?.decode(String.self, column: "s") } == ["a!", "b!"])
            #expect(try prepared(pipelined, on: connection) == 1)
        }
    }

    @Test func theCacheStaysWithinItsCapacityAndZeroPreparesNothing() throws {
        try withConnection(capacity: 2) { connection in
            for value in 1...4 {
                #expect(try connection.query(SQL(unsafe: "SELECT \(value) AS n")).singleRow?.decode(Int.self, column: "n") == value)
            }
            let held = try connection.query("SELECT count(*) AS n FROM pg_prepared_statements").singleRow?.decode(Int.self, column: "n")
            #expect(held == 2, "statements beyond the capacity run unnamed")
        }
        try withConnection(capacity: 0) { connection in
            _ = try connection.pipeline(["SELECT 1", "SELECT 2"])
            #expect(try connection.query("SELECT count(*) AS n FROM pg_prepared_statements").singleRow?.decode(Int.self, column: "n") == 0)
        }
    }

    @Test func aStatementTheServerLostOrMustReplanIsPreparedAgain() throws {
        let table = PostgresTestDatabase.uniqueName("leopost_test_prepared")
        try withConnection { connection in
            try connection.execute("CREATE TABLE \(unsafe: table) (a int)")
            defer { _ = try? connection.execute("DROP TABLE \(unsafe: table)") }
            let select: SQL = "SELECT * FROM \(unsafe: table)"
            _ = try connection.query(select)
            // Another column changes the statement's result type: the server refuses the old plan once.
            try connection.execute("ALTER TABLE \(unsafe: table) ADD COLUMN b int")
            let stale = try #require(throws: PostgresError.self) { try connection.query(select) }
            #expect(stale.sqlState == "0A000")
            #expect(try connection.query(select).columnNames == ["a", "b"])
            // A session whose statements were dropped (DISCARD ALL, a pooler's reset): once, then again prepared.
            try connection.simpleQuery("DEALLOCATE ALL")
            let lost = try #require(throws: PostgresError.self) { try connection.query(select) }
            #expect(lost.sqlState == "26000")
            #expect(try connection.query(select).columnNames == ["a", "b"])
        }
    }

    @Test func aStatementThatCannotBePreparedFailsAloneAndIsNotRemembered() throws {
        try withConnection { connection in
            let error = try #require(throws: PostgresError.self) { try connection.query("SELEC 1") }
            #expect(error.sqlState == "42601")
            let again = try #require(throws: PostgresError.self) { try connection.query("SELEC 1") }
            #expect(again.sqlState == "42601", "the server must parse it again, not run a name it never prepared")
            #expect(try connection.query("SELECT 1 AS n").singleRow?.decode(Int.self, column: "n") == 1)
        }
    }

    @Test func aFailingNewStatementInsideATransactionLeavesItFailedNotCommitted() throws {
        let table = PostgresTestDatabase.uniqueName("leopost_test_prepared_tx")
        try withConnection { connection in
            try connection.execute("CREATE TABLE \(unsafe: table) (a int)")
            defer { _ = try? connection.execute("DROP TABLE \(unsafe: table)") }
            let error = try #require(throws: PostgresError.self) {
                try connection.withTransaction { connection in
                    try connection.execute("INSERT INTO \(unsafe: table) VALUES (1)")
                    // A new statement goes through a pipeline to be prepared; its failure must not
                    // roll back (and so end) the caller's transaction, or what follows would autocommit.
                    _ = try? connection.query("SELECT 1 / 0")
                    _ = try? connection.execute("INSERT INTO \(unsafe: table) VALUES (2)")
                }
            }
            #expect(error.sqlState == "25P02")
            #expect(try connection.query("SELECT count(*) AS n FROM \(unsafe: table)").singleRow?.decode(Int.self, column: "n") == 0)
        }
    }
}
