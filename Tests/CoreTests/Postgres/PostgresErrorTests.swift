import Foundation
import LeopostCore
import Testing

/// Server errors carry their SQLSTATE, leave the connection usable, and roll transactions back;
/// decoding errors name the column and the type.
@Suite("PostgreSQL errors")
struct PostgresErrorTests {
    @Test(arguments: [
        ("SELECT FROM WHERE", "42601"),
        ("SELECT * FROM leopost_no_such_table", "42P01"),
        ("SELECT 1 / 0", "22012"),
    ])
    func serverErrorsCarrySQLStateAndTheConnectionStaysUsable(statement: String, sqlState: String) async throws {
        try await PostgresTestDatabase.withPool(maxConnections: 1) { pool in
            let before = try await pool.query("SELECT pg_backend_pid() AS pid").singleRow?.decode(Int.self, column: "pid")
            let error = try await #require(throws: PostgresError.self) { try await pool.query(SQL(unsafe: statement)) }
            #expect(error.code == .server)
            #expect(error.sqlState == sqlState)
            #expect(error.description.contains("SQLSTATE \(sqlState)"))
            #expect(!error.description.contains(statement))
            #expect(error.debugDescription.contains(statement))
            let after = try await pool.query("SELECT pg_backend_pid() AS pid").singleRow?.decode(Int.self, column: "pid")
            #expect(before == after, "the same connection must survive a statement error")
        }
    }

    @Test func uniqueViolationIsRecognisedAndKeepsValuesOutOfDescription() async throws {
        let table = PostgresTestDatabase.uniqueName("leopost_test_unique")
        try await PostgresTestDatabase.withPool { pool in
            try await pool.execute("CREATE TABLE \(unsafe: table) (email text UNIQUE)")
            try await pool.execute("INSERT INTO \(unsafe: table) VALUES (\("secret@example.com"))")
            let error = try await #require(throws: PostgresError.self) {
                try await pool.execute("INSERT INTO \(unsafe: table) VALUES (\("secret@example.com"))")
            }
            try await pool.execute("DROP TABLE \(unsafe: table)")
            #expect(error.isUniqueViolation)
            #expect(error.sqlState == "23505")
            #expect(error.detail?.contains("secret@example.com") == true)
            #expect(!error.description.contains("secret@example.com"))
        }
    }

    @Test func failedTransactionRollsBack() async throws {
        let table = PostgresTestDatabase.uniqueName("leopost_test_tx")
        try await PostgresTestDatabase.withPool(maxConnections: 1) { pool in
            try await pool.execute("CREATE TABLE \(unsafe: table) (n int)")
            await #expect(throws: PostgresError.self) {
                try await pool.withTransaction { connection in
                    try connection.execute("INSERT INTO \(unsafe: table) VALUES (1)")
                    try connection.execute("SELECT 1 / 0")
                }
            }
            // A body that swallows a failed statement must not look committed.
            let swallowed = try await #require(throws: PostgresError.self) {
                try await pool.withTransaction { connection in
                    try connection.execute("INSERT INTO \(unsafe: table) VALUES (2)")
                    _ = try? connection.execute("SELECT 1 / 0")
                }
            }
            #expect(swallowed.sqlState == "25P02")
            struct Boom: Error {}
            await #expect(throws: Boom.self) {
                try await pool.withTransaction { connection in
                    try connection.execute("INSERT INTO \(unsafe: table) VALUES (3)")
                    throw Boom()
                }
            }
            let committed = try await pool.withTransaction { connection in
                try connection.execute("INSERT INTO \(unsafe: table) VALUES (4)")
            }
            #expect(committed == 1)
            let rows = try await pool.query("SELECT n FROM \(unsafe: table)").map { try $0.decode(Int.self, column: "n") }
            try await pool.execute("DROP TABLE \(unsafe: table)")
            #expect(rows == [4])
        }
    }

    @Test func decodingErrorsNameTheColumnAndType() async throws {
        let row = try await PostgresTestDatabase.withPool { pool in
            try #require(try await pool.query("SELECT NULL::text AS nothing, 'abc-private'::text AS word").singleRow)
        }
        let null = try #require(throws: PostgresError.self) { try row.decode(String.self, column: "nothing") }
        #expect(null.code == .decoding)
        #expect(null.message.contains("\"nothing\"") && null.message.contains("String") && null.message.contains("NULL"))
        let text = try #require(throws: PostgresError.self) { try row.decode(Int.self, column: "word") }
        #expect(text.code == .decoding)
        #expect(text.message.contains("\"word\"") && text.message.contains("Int"))
        #expect(!text.description.contains("abc-private"))
        #expect(text.debugDescription.contains("abc-private"))
        let missing = try #require(throws: PostgresError.self) { try row.decode(Int.self, column: "absent") }
        #expect(missing.message.contains("\"absent\"") && missing.message.contains("nothing, word"))
        #expect(throws: PostgresError.self) { try row.decode(Int.self, at: 5) }
    }
}
