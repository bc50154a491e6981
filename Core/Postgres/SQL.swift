/// A statement with its parameters kept apart from its text: the only way Leopost sends values.
///
/// Every interpolated value becomes a bound parameter and the text gets `$1`, `$2`, ... in its place,
/// so a value can never change the statement:
///
/// ```swift
/// let sql: SQL = "SELECT id FROM users WHERE email = \(email) AND tenant_id = \(tenantID)::uuid"
/// // text:  SELECT id FROM users WHERE email = $1 AND tenant_id = $2::uuid
/// // binds: [.text(email), .text(tenantID.uuidString)]
/// ```
///
/// Raw text must be spelled out with ``init(unsafe:)`` or `\(unsafe: ...)`, for migrations and for
/// identifiers the code itself controls.
public struct SQL: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The statement text with `$n` placeholders.
    public private(set) var text: String
    /// The bound values, `binds[0]` being `$1`.
    public private(set) var binds: [PostgresValue]

    /// Wraps raw SQL text with no parameters. Never pass text built from user input.
    /// - Parameter text: Statement text the code controls, e.g. a migration.
    public init(unsafe text: String) {
        self.text = text
        self.binds = []
    }

    /// A literal statement with no interpolations.
    public init(stringLiteral value: String) {
        self.init(unsafe: value)
    }

    /// A statement built by interpolation; see ``SQL``.
    public init(stringInterpolation: StringInterpolation) {
        self.text = stringInterpolation.text
        self.binds = stringInterpolation.binds
    }

    /// The text with placeholders and only the number of binds: values stay out of logs.
    public var description: String { binds.isEmpty ? text : "\(text) [\(binds.count) binds]" }

    /// Collects literal text and binds while Swift walks an interpolated literal.
    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        fileprivate var text: String
        fileprivate var binds: [PostgresValue]

        /// Reserves space for the literal parts.
        public init(literalCapacity: Int, interpolationCount: Int) {
            text = ""
            text.reserveCapacity(literalCapacity + interpolationCount * 3)
            binds = []
            binds.reserveCapacity(interpolationCount)
        }

        /// Appends literal SQL text as written in the source.
        public mutating func appendLiteral(_ literal: String) {
            text += literal
        }

        /// Binds a value and writes its `$n` placeholder; `nil` binds SQL NULL.
        /// - Parameter value: Any ``PostgresBindable`` value, optionals included.
        public mutating func appendInterpolation(_ value: some PostgresBindable) {
            binds.append(value.postgresValue)
            text += "$\(binds.count)"
        }

        /// Binds an optional value, SQL NULL for `nil` (spelled out so Swift does not warn about optionals).
        /// - Parameter value: Any ``PostgresBindable`` value or nil.
        public mutating func appendInterpolation(_ value: (some PostgresBindable)?) {
            binds.append(value.postgresValue)
            text += "$\(binds.count)"
        }

        /// Splices raw text into the statement: only for identifiers and fragments the code controls.
        /// - Parameter raw: Text that is never derived from user input.
        public mutating func appendInterpolation(unsafe raw: String) {
            text += raw
        }
    }
}
