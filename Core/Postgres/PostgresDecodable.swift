public import Foundation

/// A Swift type that a column's text output can be decoded into with ``PostgresRow/decode(_:column:)``.
///
/// Results are requested in text format, so each conformance parses what PostgreSQL prints for its
/// type (with the session in UTC, ISO dates and hex bytea, as ``PostgresConnection`` sets up).
public protocol PostgresDecodable: Sendable {
    /// Parses a non-NULL value from PostgreSQL's text output; nil when the text does not fit the type.
    /// - Parameter postgresText: The column's text, exactly as the server sent it.
    init?(postgresText: String)
    /// What SQL NULL decodes to, or nil when the type cannot hold NULL (the default: a decoding error).
    static var postgresNull: Self? { get }
}

extension PostgresDecodable {
    /// Non-optional types refuse NULL.
    public static var postgresNull: Self? { nil }
}

extension String: PostgresDecodable {
    /// Any text column, verbatim.
    public init?(postgresText: String) { self = postgresText }
}

extension Int: PostgresDecodable {
    /// `smallint`, `integer` or `bigint` text.
    public init?(postgresText: String) { self.init(postgresText, radix: 10) }
}

extension Int32: PostgresDecodable {
    /// `smallint` or `integer` text (a `bigint` that does not fit fails).
    public init?(postgresText: String) { self.init(postgresText, radix: 10) }
}

extension Int64: PostgresDecodable {
    /// `smallint`, `integer` or `bigint` text.
    public init?(postgresText: String) { self.init(postgresText, radix: 10) }
}

extension Double: PostgresDecodable {
    /// `real`, `double precision` or `numeric` text, including `Infinity`, `-Infinity` and `NaN`.
    public init?(postgresText: String) {
        switch postgresText {
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        case "NaN": self = .nan
        default: self.init(postgresText)
        }
    }
}

extension Bool: PostgresDecodable {
    /// `boolean` output: `t` or `f`.
    public init?(postgresText: String) {
        switch postgresText {
        case "t", "true": self = true
        case "f", "false": self = false
        default: return nil
        }
    }
}

extension UUID: PostgresDecodable {
    /// `uuid` output (lower-case canonical form).
    public init?(postgresText: String) { self.init(uuidString: postgresText) }
}

extension Date: PostgresDecodable {
    /// `timestamptz` output such as `2026-11-25 17:34:42.123456+00`; `timestamp` and `date` read as UTC.
    public init?(postgresText: String) {
        guard let date = PostgresTimestamp.parse(postgresText) else { return nil }
        self = date
    }
}

extension Array: PostgresDecodable where Element == UInt8 {
    /// `bytea` hex output, `\x` followed by two hex digits per byte.
    public init?(postgresText: String) {
        let hex = Array<UInt8>(postgresText.utf8)
        guard hex.count >= 2, hex[0] == UInt8(ascii: "\\"), hex[1] == UInt8(ascii: "x"), hex.count % 2 == 0 else {
            return nil
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity((hex.count - 2) / 2)
        var index = 2
        while index < hex.count {
            guard let high = Self.nibble(hex[index]), let low = Self.nibble(hex[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self = bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    /// The wrapped type's decoding of a non-NULL value.
    public init?(postgresText: String) {
        guard let wrapped = Wrapped(postgresText: postgresText) else { return nil }
        self = .some(wrapped)
    }

    /// NULL decodes to `nil`.
    public static var postgresNull: Self? { .some(.none) }
}
