import Foundation
import Testing

@testable import LeopostCore

@Suite("SQL interpolation and timestamp text")
struct SQLTests {
    @Test func interpolationBindsValuesAndNumbersPlaceholders() {
        let name = "Robert'); DROP TABLE students;--"
        let missing: Int? = nil
        let id = UUID(uuidString: "6F9619FF-8B86-D011-B42D-00C04FC964FF")!
        let sql: SQL = "SELECT * FROM \(unsafe: "users") WHERE name = \(name) AND age = \(missing) AND id = \(id)::uuid"
        #expect(sql.text == "SELECT * FROM users WHERE name = $1 AND age = $2 AND id = $3::uuid")
        #expect(sql.binds == [.text(name), .null, .text("6f9619ff-8b86-d011-b42d-00c04fc964ff")])
        #expect(!sql.description.contains("DROP TABLE"))
    }

    @Test func literalsAndUnsafeTextHaveNoBinds() {
        let literal: SQL = "SELECT 1"
        #expect(literal.binds.isEmpty)
        #expect(SQL(unsafe: "CREATE TABLE t (id int)").text == "CREATE TABLE t (id int)")
    }

    @Test func bindableEncodings() {
        #expect(true.postgresValue == .text("true"))
        #expect(Double.infinity.postgresValue == .text("Infinity"))
        #expect(Double.nan.postgresValue == .text("NaN"))
        #expect(([0, 1, 0] as [UInt8]).postgresValue == .bytea([0, 1, 0]))
        #expect(Int32.min.postgresValue == .text("-2147483648"))
    }

    @Test func timestampsFormatAndParseWithMicroseconds() throws {
        let date = Date(timeIntervalSince1970: 1_796_060_082.123456)
        #expect(PostgresTimestamp.format(date) == "2026-11-30 17:34:42.123456+00")
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: -1.5)) == "1969-12-31 23:59:58.500000+00")
        let parsed = try #require(PostgresTimestamp.parse("2026-11-30 17:34:42.123456+00"))
        #expect((parsed.timeIntervalSince1970 * 1_000_000).rounded() == 1_796_060_082_123_456)
        let offset = try #require(PostgresTimestamp.parse("2026-11-30 19:04:42.5+01:30"))
        #expect(offset.timeIntervalSince1970 == 1_796_060_082.5)
        #expect(PostgresTimestamp.parse("2026-11-30") == Date(timeIntervalSince1970: 1_795_996_800))
        #expect(PostgresTimestamp.parse("infinity") == .distantFuture)
        #expect(PostgresTimestamp.parse("2026-11-30 17:34") == nil)
        #expect(PostgresTimestamp.parse("0044-03-15 12:00:00+00 BC") == nil)
    }

    @Test func byteaHexDecoding() {
        #expect([UInt8](postgresText: "\\x00ff10") == [0, 255, 16])
        #expect([UInt8](postgresText: "\\x") == [])
        #expect([UInt8](postgresText: "\\x0") == nil)
        #expect([UInt8](postgresText: "abc") == nil)
    }
}
