/// Why a post could not be drafted, confirmed or cancelled, worded for the person who asked.
public struct PostError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of refusal; compare against the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable { case invalid, unknownPlatform, accountMissing, tooLong, notFound, conflict }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        /// The request breaks a rule (empty text, no platforms, a time in the past).
        public static let invalid = Code(.invalid)
        /// A platform no loaded plugin serves, or the policy does not allow.
        public static let unknownPlatform = Code(.unknownPlatform)
        /// The tenant has no account for a platform.
        public static let accountMissing = Code(.accountMissing)
        /// The post does not fit a platform (too long, wrong media).
        public static let tooLong = Code(.tooLong)
        /// No such post for this tenant.
        public static let notFound = Code(.notFound)
        /// The post's state does not allow it (cancelled, already out).
        public static let conflict = Code(.conflict)
        public var description: String {
            switch base {
            case .invalid: "invalid_post"
            case .unknownPlatform: "unknown_platform"
            case .accountMissing: "account_missing"
            case .tooLong: "post_does_not_fit"
            case .notFound: "not_found"
            case .conflict: "conflict"
            }
        }
    }

    /// The kind of refusal.
    public let code: Code
    /// What is wrong and what to do.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public var description: String { "\(code): \(message)" }
}
