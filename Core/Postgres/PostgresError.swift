/// Why a PostgreSQL call failed: a code to switch on and a message a person can act on.
///
/// `description` is deliberately short (code, SQLSTATE and the server's primary message) so an error
/// can be logged or shown without leaking query text or bound values; `debugDescription` has
/// everything, including the query, for a developer at a terminal.
public struct PostgresError: Error, Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The kind of failure; compare against the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case server, connectionFailed, connectionLost, poolClosed, decoding, invalidURL, timeout
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        /// The server refused a statement; `sqlState` says why (see `isUniqueViolation` and friends).
        public static let server = Code(.server)
        /// A new connection could not be opened: server down, wrong address, bad credentials, or `SET ROLE` failed.
        public static let connectionFailed = Code(.connectionFailed)
        /// An open connection broke mid-use (server restart, `pg_terminate_backend`, network); the pool drops it.
        public static let connectionLost = Code(.connectionLost)
        /// The pool was closed, so it hands out no more connections.
        public static let poolClosed = Code(.poolClosed)
        /// A column's value could not be turned into the Swift type asked for.
        public static let decoding = Code(.decoding)
        /// The database URL could not be understood.
        public static let invalidURL = Code(.invalidURL)
        /// The server did not answer within the configured time.
        public static let timeout = Code(.timeout)
        /// The code's name, e.g. `connectionFailed`.
        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// What happened and what to do, for a person; for `.server` the server's primary message.
    public let message: String
    /// The server's five-character SQLSTATE (`23505`), when the server reported one.
    public let sqlState: String?
    /// The server's optional detail line; may contain row values, so it only appears in `debugDescription`.
    public let detail: String?
    /// The server's optional hint on how to fix the problem.
    public let hint: String?
    /// The statement text that failed, for debugging only; never part of `description`.
    public let query: String?

    /// Creates an error.
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: A sentence a person can act on; must not contain passwords or bound values.
    ///   - sqlState: The server's SQLSTATE, if any.
    ///   - detail: The server's detail, if any.
    ///   - hint: The server's hint, if any.
    ///   - query: The statement text, kept for `debugDescription`.
    public init(
        code: Code,
        message: String,
        sqlState: String? = nil,
        detail: String? = nil,
        hint: String? = nil,
        query: String? = nil
    ) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.query = query
    }

    /// Errors are equal when their codes are, so `#expect(throws: PostgresError.poolClosed)` works.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }

    /// Code, SQLSTATE and message only: safe to log, holds no query text or row data.
    public var description: String {
        if let sqlState { return "\(code) (SQLSTATE \(sqlState)): \(message)" }
        return "\(code): \(message)"
    }

    /// Everything known, including detail, hint and query text: for developers, not for logs in production.
    public var debugDescription: String {
        var text = "PostgresError(code: \(code)"
        if let sqlState { text += ", sqlState: \(sqlState)" }
        text += ", message: \(message)"
        if let detail { text += ", detail: \(detail)" }
        if let hint { text += ", hint: \(hint)" }
        if let query { text += ", query: \(query)" }
        return text + ")"
    }
}
