/// Why a mail could not be read: a code to switch on and a message a person can act on.
public struct MailError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure; compare against the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable { case tooLarge = "too_large", malformed }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Larger than the parser reads.
        public static let tooLarge = Code(.tooLarge)
        /// Not a message at all.
        public static let malformed = Code(.malformed)

        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// What happened.
    public let message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// Equal by code alone.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }

    public var description: String { "\(code): \(message)" }
}
