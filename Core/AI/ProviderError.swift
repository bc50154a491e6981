/// Why a provider call failed, in one model for every provider: the chain decides on `code`
/// whether to retry, back off, fall back or give up.
public struct ProviderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure; compare against the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case rateLimited, quotaExhausted, overloaded, server, timeout, authentication, badRequest
            case contextTooLong, contentFiltered, cancelled, malformedResponse
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Too many requests for now (HTTP 429); retry after `retryAfter`.
        public static let rateLimited = Code(.rateLimited)
        /// Quota or billing exhausted (OpenAI `insufficient_quota`): never retry, fall back.
        public static let quotaExhausted = Code(.quotaExhausted)
        /// The provider is overloaded (Anthropic 529 or an `overloaded_error` event): back off.
        public static let overloaded = Code(.overloaded)
        /// The provider failed (5xx).
        public static let server = Code(.server)
        /// Connect, first-token or total time ran out.
        public static let timeout = Code(.timeout)
        /// The key was refused (401/403).
        public static let authentication = Code(.authentication)
        /// The request was refused as malformed (400).
        public static let badRequest = Code(.badRequest)
        /// The prompt does not fit the model's context: a larger model may take it.
        public static let contextTooLong = Code(.contextTooLong)
        /// The provider's safety filter refused the request or the answer.
        public static let contentFiltered = Code(.contentFiltered)
        /// The caller went away.
        public static let cancelled = Code(.cancelled)
        /// The answer did not follow the provider's documented format (truncated JSON, an HTML page).
        public static let malformedResponse = Code(.malformedResponse)

        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// What happened, for a person (the provider's own message when it sent one).
    public let message: String
    /// The provider's kind (`openai`, ...).
    public let provider: String
    /// The HTTP status, when the failure came with one.
    public let status: Int?
    /// How long the provider asked us to wait (`Retry-After`).
    public let retryAfter: Duration?

    /// Creates an error.
    public init(code: Code, message: String, provider: String, status: Int? = nil, retryAfter: Duration? = nil) {
        self.code = code
        self.message = message
        self.provider = provider
        self.status = status
        self.retryAfter = retryAfter
    }

    /// Whether the same provider may be tried again after a pause.
    public var isRetryable: Bool { [.rateLimited, .overloaded, .server, .timeout].contains(code) }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public var description: String { "\(provider) \(code)\(status.map { " (HTTP \($0))" } ?? ""): \(message)" }
}

extension ProviderError: RetryAfterError {}
