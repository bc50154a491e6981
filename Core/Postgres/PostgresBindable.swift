public import Foundation

/// A Swift value that can be bound into ``SQL`` as a parameter.
///
/// Conformances send PostgreSQL's text input format (bytea excepted); the server infers each
/// parameter's type, so add a cast where it cannot: `\(id)::uuid`, `\(at)::timestamptz`.
public protocol PostgresBindable: Sendable {
    /// The value as it travels to the server.
    var postgresValue: PostgresValue { get }
}

extension PostgresValue: PostgresBindable {
    /// Itself: lets code that already built a value bind it directly.
    public var postgresValue: PostgresValue { self }
}

extension String: PostgresBindable {
    /// The string as text; any content is safe, it is never spliced into the statement.
    public var postgresValue: PostgresValue { .text(self) }
}

extension Int: PostgresBindable {
    /// Decimal text, fits `bigint`.
    public var postgresValue: PostgresValue { .text(String(self)) }
}

extension Int32: PostgresBindable {
    /// Decimal text, fits `integer`.
    public var postgresValue: PostgresValue { .text(String(self)) }
}

extension Int64: PostgresBindable {
    /// Decimal text, fits `bigint`.
    public var postgresValue: PostgresValue { .text(String(self)) }
}

extension Double: PostgresBindable {
    /// Shortest round-tripping text; infinities and NaN in PostgreSQL's spelling.
    public var postgresValue: PostgresValue {
        if isNaN { return .text("NaN") }
        if self == .infinity { return .text("Infinity") }
        if self == -.infinity { return .text("-Infinity") }
        return .text(String(self))
    }
}

extension Bool: PostgresBindable {
    /// `true` / `false`.
    public var postgresValue: PostgresValue { .text(self ? "true" : "false") }
}

extension UUID: PostgresBindable {
    /// Lower-case canonical text, as PostgreSQL prints uuids.
    public var postgresValue: PostgresValue { .text(uuidString.lowercased()) }
}

extension Date: PostgresBindable {
    /// ISO 8601 in UTC with microseconds (`2026-11-25 17:34:42.123456+00`), PostgreSQL's own precision.
    public var postgresValue: PostgresValue { .text(PostgresTimestamp.format(self)) }
}

extension Array: PostgresBindable where Element == UInt8 {
    /// Raw bytes for `bytea`, sent in binary so zero bytes survive.
    public var postgresValue: PostgresValue { .bytea(self) }
}

extension Optional: PostgresBindable where Wrapped: PostgresBindable {
    /// The wrapped value, or SQL NULL for `nil`.
    public var postgresValue: PostgresValue { self?.postgresValue ?? .null }
}
