/// Why a channel could not take a message, classified so the delivery stage knows whether to
/// wait, retry or give up — a channel's rate limit delays a message, it never drops it.
///
/// Each adapter classifies its API's answers once, where it reads them; everything after decides
/// on ``code``, never on the message's words. Equal by code alone, like the other errors.
public struct ChannelError: RetryAfterError, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure; compare against the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case rateLimited = "rate_limited", unavailable, rejected, unauthorized, unchanged, windowClosed = "window_closed"
            case unknownOutcome = "unknown_outcome"
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The channel asked us to slow down; retry after `retryAfter`.
        public static let rateLimited = Code(.rateLimited)
        /// A network or server failure; safe to retry.
        public static let unavailable = Code(.unavailable)
        /// The channel refused this message for good (bad recipient, blocked bot).
        public static let rejected = Code(.rejected)
        /// The connection's credentials are wrong or revoked.
        public static let unauthorized = Code(.unauthorized)
        /// An edit would not change the message (Telegram's "message is not modified"): it already
        /// shows what it should, which is success for the caller.
        public static let unchanged = Code(.unchanged)
        /// The channel takes no free-form message now (WhatsApp's 24-hour window, error 131047);
        /// only an approved template may go out.
        public static let windowClosed = Code(.windowClosed)

        /// The request was sent and no answer came (a timeout, a dropped connection): the channel
        /// may have delivered the message. Retrying the job is safe; sending this message again is
        /// not, so the delivery stage records it as unconfirmed.
        public static let unknownOutcome = Code(.unknownOutcome)

        /// The code's name, as in logs and delivery records: `rate_limited`.
        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// A sentence an operator can act on.
    public let message: String
    /// How long the channel asked us to wait.
    public let retryAfter: Duration?

    /// Creates an error.
    public init(code: Code, message: String, retryAfter: Duration? = nil) {
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    /// Whether sending again later can succeed.
    public var isRetryable: Bool { code == .rateLimited || code == .unavailable || code == .unknownOutcome }

    /// A call that failed without the channel's answer: `unknownOutcome` when the request may have
    /// reached the channel, `unavailable` when it surely did not.
    public static func transport(_ error: HTTPClientError, message: String) -> ChannelError {
        ChannelError(code: error.mayHaveReachedServer ? .unknownOutcome : .unavailable, message: message)
    }

    /// Errors are equal when their codes are, whatever the message says.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }

    public var description: String { "\(code): \(message)" }
}
