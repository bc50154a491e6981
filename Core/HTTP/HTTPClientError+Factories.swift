/// Ready-made errors, one per code, so callers and tests can write `#expect(throws: HTTPClientError.shutdown)`.
extension HTTPClientError {
    /// The URL could not be used; see ``Code/invalidURL``.
    public static let invalidURL = HTTPClientError(code: .invalidURL, message: "the URL is not a valid http or https URL")
    /// See ``Code/invalidRequest``.
    public static let invalidRequest = HTTPClientError(code: .invalidRequest, message: "the request is not valid HTTP")
    /// See ``Code/connectionFailed``.
    public static let connectionFailed = HTTPClientError(code: .connectionFailed, message: "could not connect")
    /// See ``Code/connectTimeout``.
    public static let connectTimeout = HTTPClientError(code: .connectTimeout, message: "connect timed out")
    /// See ``Code/firstByteTimeout``.
    public static let firstByteTimeout = HTTPClientError(code: .firstByteTimeout, message: "no response headers in time")
    /// See ``Code/idleTimeout``.
    public static let idleTimeout = HTTPClientError(code: .idleTimeout, message: "the response body stalled")
    /// See ``Code/totalTimeout``.
    public static let totalTimeout = HTTPClientError(code: .totalTimeout, message: "the request took too long")
    /// See ``Code/tlsFailure``.
    public static let tlsFailure = HTTPClientError(code: .tlsFailure, message: "TLS failed")
    /// See ``Code/connectionClosed``.
    public static let connectionClosed = HTTPClientError(code: .connectionClosed, message: "the connection was closed early")
    /// See ``Code/bodyTooLarge``.
    public static let bodyTooLarge = HTTPClientError(code: .bodyTooLarge, message: "the response body is too large")
    /// See ``Code/cancelled``.
    public static let cancelled = HTTPClientError(code: .cancelled, message: "the request was cancelled")
    /// See ``Code/shutdown``.
    public static let shutdown = HTTPClientError(
        code: .shutdown,
        message: "the HTTP client is shut down; create requests before shutting it down or keep it running longer"
    )
    /// See ``Code/egressRefused``.
    public static let egressRefused = HTTPClientError(code: .egressRefused, message: "the target is not a public address")
    /// See ``Code/transferFailed``.
    public static let transferFailed = HTTPClientError(code: .transferFailed, message: "the transfer failed")

    /// An error about one request, naming its method and origin (never its path).
    static func about(_ target: String, _ code: Code, _ message: String) -> HTTPClientError {
        HTTPClientError(code: code, message: "\(target): \(message)")
    }
}
