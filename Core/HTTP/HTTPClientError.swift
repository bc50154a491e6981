/// Why an outbound HTTP request failed: a code to switch on and a message a person can act on.
///
/// Equal by code only, so tests and callers can match `HTTPClientError.connectTimeout` without caring
/// about the message. Messages name the method and the origin (`GET https://api.example.com:443`) but
/// never the path or query, which may carry credentials (Telegram bot tokens, signed URLs).
public struct HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure; compare against the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case invalidURL, invalidRequest, connectionFailed, connectTimeout, firstByteTimeout, idleTimeout
            case totalTimeout, tlsFailure, connectionClosed, bodyTooLarge, cancelled, shutdown, transferFailed, egressRefused
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The URL could not be parsed, has no host, or is not `http`/`https`.
        public static let invalidURL = Code(.invalidURL)
        /// The method or a header name/value is not valid HTTP (for example it contains CR or LF).
        public static let invalidRequest = Code(.invalidRequest)
        /// The host name did not resolve or the server refused the connection.
        public static let connectionFailed = Code(.connectionFailed)
        /// No connection (TCP and TLS) within `connectTimeout`.
        public static let connectTimeout = Code(.connectTimeout)
        /// Connected, but the response headers did not arrive within `firstByteTimeout`.
        public static let firstByteTimeout = Code(.firstByteTimeout)
        /// The response body stalled for longer than `idleTimeout`.
        public static let idleTimeout = Code(.idleTimeout)
        /// The whole exchange took longer than `totalTimeout` or passed the request's deadline.
        public static let totalTimeout = Code(.totalTimeout)
        /// The TLS handshake or certificate verification failed.
        public static let tlsFailure = Code(.tlsFailure)
        /// The peer closed or reset the connection before the response was complete.
        public static let connectionClosed = Code(.connectionClosed)
        /// The response body is larger than the configured maximum; the transfer was aborted.
        public static let bodyTooLarge = Code(.bodyTooLarge)
        /// The caller cancelled the request (task cancellation or the body iteration ended early).
        public static let cancelled = Code(.cancelled)
        /// The client is shut down (or shutting down) and takes no more requests.
        public static let shutdown = Code(.shutdown)
        /// The egress guard refused a tenant's target (a private, loopback or link-local address, or
        /// one of Leopost's own servers); nothing was sent.
        public static let egressRefused = Code(.egressRefused)
        /// libcurl reported another failure; the message carries its text.
        public static let transferFailed = Code(.transferFailed)

        /// The code's name, as in logs: `connectTimeout`.
        public var description: String { base.rawValue }

        /// A fixed phrase per code, for metric labels and dashboards.
        var shortDescription: String {
            switch base {
            case .invalidURL: "invalid URL"
            case .invalidRequest: "invalid request"
            case .connectionFailed: "connection failed"
            case .connectTimeout: "connect timeout"
            case .firstByteTimeout: "first byte timeout"
            case .idleTimeout: "idle timeout"
            case .totalTimeout: "total timeout"
            case .tlsFailure: "TLS failure"
            case .connectionClosed: "connection closed"
            case .bodyTooLarge: "body too large"
            case .cancelled: "cancelled"
            case .shutdown: "client shut down"
            case .transferFailed: "transfer failed"
            case .egressRefused: "egress refused"
            }
        }
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

    /// A bounded set of descriptions to use in metric labels: it never contains associated values
    /// (hosts, status codes, curl texts), unlike `description`.
    public var shortDescription: String { code.shortDescription }

    /// Errors are equal when their codes are; messages differ per request.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }

    /// `code: message`, for logs; may name the host, so not for metric labels (use ``shortDescription``).
    public var description: String { "\(code): \(message)" }
}
