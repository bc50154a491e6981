/// Why the store refused a request, in terms a caller can turn into an HTTP answer.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of refusal; compare against the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable { case invalidInput, notFound, conflict }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        /// The input breaks a rule (length, format).
        public static let invalidInput = Code(.invalidInput)
        /// No such row for this tenant (also what another tenant's row looks like).
        public static let notFound = Code(.notFound)
        /// The row exists already.
        public static let conflict = Code(.conflict)
        public var description: String { base.rawValue }
    }

    /// The kind of refusal.
    public let code: Code
    /// What is wrong, for a person.
    public let message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public var description: String { "\(code): \(message)" }
}
