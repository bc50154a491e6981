/// Why a Redis call failed: a code to switch on and a message a person can act on.
///
/// Equal by code alone, so tests and callers match on the kind of failure, never on wording.
public struct RedisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure; compare against the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case invalidURL, connectionFailed, connectionLost, timeout, server, noScript, noGroup, busyGroup, unexpectedReply, poolClosed
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The URL could not be parsed; nothing was contacted.
        public static let invalidURL = Code(.invalidURL)
        /// No connection could be made (refused, unreachable, authentication or SELECT refused).
        public static let connectionFailed = Code(.connectionFailed)
        /// An established connection broke (the server restarted or closed it); it was discarded.
        public static let connectionLost = Code(.connectionLost)
        /// The server did not answer within the socket timeout.
        public static let timeout = Code(.timeout)
        /// The server answered with an error reply (`-ERR ...`, `-WRONGTYPE ...`).
        public static let server = Code(.server)
        /// `EVALSHA` named a script the server does not know (it restarted or flushed its cache).
        public static let noScript = Code(.noScript)
        /// A stream command named a consumer group the stream does not have (`-NOGROUP`): the stream
        /// was lost (a restart without persistence) or deleted and made again by a producer.
        public static let noGroup = Code(.noGroup)
        /// `XGROUP CREATE` named a group that exists already (`-BUSYGROUP`): for a caller making sure
        /// the group exists, success.
        public static let busyGroup = Code(.busyGroup)
        /// The reply did not have the shape the caller needed.
        public static let unexpectedReply = Code(.unexpectedReply)
        /// The client was shut down.
        public static let poolClosed = Code(.poolClosed)

        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// What happened and what to do, for a person.
    public let message: String
    /// For an error reply, Redis's own error code, its first word (`LOADING`, `WRONGTYPE`): what
    /// ``isOutage`` decides on, however the message was worded around it (a script's name first).
    public let replyCode: String?

    /// Creates an error.
    public init(code: Code, message: String, replyCode: String? = nil) {
        self.code = code
        self.message = message
        self.replyCode = replyCode
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public var description: String { "redis \(code): \(message)" }

    /// Classifies a `-ERR`-style reply by its first word, Redis's error code.
    static func serverReply(_ text: String) -> RedisError {
        let code: Code =
            switch text.prefix(while: { $0 != " " }) {
            case "NOSCRIPT": .noScript
            case "NOGROUP": .noGroup
            case "BUSYGROUP": .busyGroup
            default: .server
            }
        return RedisError(code: code, message: text, replyCode: String(text.prefix(while: { $0 != " " })))
    }

    /// True when Redis could not take the work just now and the same request may succeed later:
    /// no connection, a connection lost mid-call, no answer in time, or a server that said so
    /// (`LOADING` its data after a restart, `BUSY` running a script, `MASTERDOWN`, `READONLY` on a
    /// replica after a failover, `TRYAGAIN` and `CLUSTERDOWN` in a cluster, `OOM` at `maxmemory`).
    /// Callers answer it with 503 and `Retry-After`, never 500.
    public var isOutage: Bool {
        if [.connectionFailed, .connectionLost, .timeout, .poolClosed].contains(code) { return true }
        guard code == .server else { return false }
        let word = replyCode ?? String(message.prefix(while: { $0 != " " }))
        return ["LOADING", "BUSY", "MASTERDOWN", "READONLY", "TRYAGAIN", "CLUSTERDOWN", "OOM"].contains(word)
    }

    static func unexpected(_ reply: RedisReply, expected: String) -> RedisError {
        RedisError(code: .unexpectedReply, message: "expected \(expected) from Redis, got \(reply.kindName)")
    }
}
