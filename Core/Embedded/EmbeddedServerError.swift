#if canImport(Glibc)
    import Glibc
#endif

/// Why an embedded redis-server or PostgreSQL could not be started.
public struct EmbeddedServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure; compare against the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable { case binaryMissing, startFailed, notReady, noFreePort }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        /// The server's program is not installed.
        public static let binaryMissing = Code(.binaryMissing)
        /// The program ran but exited or failed (initdb, a data directory owned by someone else, ...).
        public static let startFailed = Code(.startFailed)
        /// The server did not accept connections in time.
        public static let notReady = Code(.notReady)
        /// No loopback port could be found.
        public static let noFreePort = Code(.noFreePort)
        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// What happened and what to do, for a person.
    public let message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public var description: String { "embedded \(code): \(message)" }

    static func noFreePort(errno: Int32) -> Self {
        Self(code: .noFreePort, message: "could not find a free port on 127.0.0.1: \(String(cString: strerror(errno)))")
    }
}
