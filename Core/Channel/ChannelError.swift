/// Why a channel could not take a message, classified so the delivery stage knows whether to
/// wait, retry or give up — a channel's rate limit delays a message, it never drops it.
public struct ChannelError: RetryAfterError, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of failure a delivery can meet.
    public enum Code: String, Sendable {
        /// The channel asked us to slow down; retry after `retryAfter`.
        case rateLimited = "rate_limited"
        /// A network or server failure; safe to retry.
        case unavailable
        /// The channel refused this message for good (bad recipient, blocked bot, outside a window).
        case rejected
        /// The connection's credentials are wrong or revoked.
        case unauthorized
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
    public var isRetryable: Bool { code == .rateLimited || code == .unavailable }

    public var description: String { "\(code.rawValue): \(message)" }
}
