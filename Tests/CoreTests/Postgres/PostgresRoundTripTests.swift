import Foundation
import LeopostCore
import Testing

/// Every bindable type goes to a real server as a bound parameter and comes back decoded unchanged.
@Suite("PostgreSQL type round trips")
struct PostgresRoundTripTests {
    @Test func everyBindableTypeRoundTrips() async throws {
        let text = "héllo 👋 世界 'quoted' \"double\" \\back"
        let id = UUID()
        let date = Date(timeIntervalSince1970: 1_796_060_082.654321)
        let early = Date(timeIntervalSince1970: -86_400.000_001)
        let bytes: [UInt8] = [0, 1, 0, 255, 0, 0x5C, 0x78]
        let row = try await PostgresTestDatabase.withPool { pool in
            try #require(
                try await pool.query(
                    """
                    SELECT \(text)::text AS text, ''::text AS empty, \(Int.max)::int8 AS int, \(Int.min)::int8 AS intmin,
                           \(Int32.min)::int4 AS int32, \(Int64(-42))::int8 AS int64, \(0.1)::float8 AS double,
                           \(-1.5e300)::float8 AS big, \(Double.infinity)::float8 AS inf, \(Double.nan)::float8 AS nan,
                           \(true)::bool AS yes, \(false)::bool AS no, \(id)::uuid AS id, \(date)::timestamptz AS date,
                           \(early)::timestamptz AS early, \(bytes)::bytea AS bytes, \([UInt8]())::bytea AS nobytes
                    """
                ).singleRow)
        }
        #expect(try row.decode(String.self, column: "text") == text)
        #expect(try row.decode(String.self, column: "empty") == "")
        #expect(try row.decode(Int.self, column: "int") == Int.max)
        #expect(try row.decode(Int.self, column: "intmin") == Int.min)
        #expect(try row.decode(Int32.self, column: "int32") == Int32.min)
        #expect(try row.decode(Int64.self, column: "int64") == -42)
        #expect(try row.decode(Double.self, column: "double") == 0.1)
        #expect(try row.decode(Double.self, column: "big") == -1.5e300)
        #expect(try row.decode(Double.self, column: "inf") == .infinity)
        #expect(try row.decode(Double.self, column: "nan").isNaN)
        #expect(try row.decode(Bool.self, column: "yes") == true)
        #expect(try row.decode(Bool.self, column: "no") == false)
        #expect(try row.decode(UUID.self, column: "id") == id)
        #expect(try micros(row.decode(Date.self, column: "date")) == micros(date))
        #expect(try micros(row.decode(Date.self, column: "early")) == micros(early))
        #expect(try row.decode([UInt8].self, column: "bytes") == bytes)
        #expect(try row.decode([UInt8].self, column: "nobytes") == [])
        #expect(try row.decode(String.self, at: 0) == text)
    }

    @Test func optionalsBindAndDecodeNull() async throws {
        let none: String? = nil
        let some: Int? = 7
        let row = try await PostgresTestDatabase.withPool { pool in
            try #require(
                try await pool.query(
                    """
                    SELECT \(none)::text AS a, \(some)::int AS b, \(Optional<UUID>.none)::uuid AS c,
                           \(Optional<Date>.none)::timestamptz AS d, \(Optional<[UInt8]>.none)::bytea AS e,
                           (\(none)::text IS NULL) AS isnull
                    """
                ).singleRow)
        }
        #expect(try row.decode(String?.self, column: "a") == nil)
        #expect(try row.decode(Int?.self, column: "b") == 7)
        #expect(try row.decode(UUID?.self, column: "c") == nil)
        #expect(try row.decode(Date?.self, column: "d") == nil)
        #expect(try row.decode([UInt8]?.self, column: "e") == nil)
        #expect(try row.decode(Bool.self, column: "isnull"))
        #expect(row[0] == nil)
    }

    @Test func injectionLookingTextIsStoredVerbatim() async throws {
        let table = PostgresTestDatabase.uniqueName("leopost_test_names")
        let hostile = "x'); DROP TABLE \(table); --"
        let stored = try await PostgresTestDatabase.withPool { pool in
            try await pool.execute("CREATE TABLE \(unsafe: table) (name text NOT NULL)")
            let inserted = try await pool.execute("INSERT INTO \(unsafe: table) (name) VALUES (\(hostile)), ($$second$$)")
            #expect(inserted == 2)
            let result = try await pool.query("SELECT name FROM \(unsafe: table) WHERE name = \(hostile)")
            try await pool.execute("DROP TABLE \(unsafe: table)")
            return try result.map { try $0.decode(String.self, column: "name") }
        }
        #expect(stored == [hostile])
    }

    @Test func textWithNULIsRefusedBeforeSending() async throws {
        let error = try await PostgresTestDatabase.withPool { pool in
            await #expect(throws: PostgresError.self) { try await pool.query("SELECT \("a\u{0}b")::text") }
        }
        #expect(error?.sqlState == "22021")
    }

    @Test func resultExposesColumnsAndCounts() async throws {
        let result = try await PostgresTestDatabase.withPool { pool in
            try await pool.query("SELECT n, n * 2 AS doubled FROM generate_series(1, \(3)::int) AS n")
        }
        #expect(result.columnNames == ["n", "doubled"])
        #expect(result.count == 3)
        #expect(result.rowsAffected == 3)
        #expect(result.commandTag == "SELECT 3")
        #expect(try result.map { try $0.decode(Int.self, column: "doubled") } == [2, 4, 6])
    }

    private func micros(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1_000_000).rounded()) }
}
