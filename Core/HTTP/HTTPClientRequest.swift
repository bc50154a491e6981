/// One outbound HTTP request: what to send and, optionally, tighter limits than the client's defaults.
///
/// ```swift
/// var request = HTTPClientRequest(method: "POST", url: "https://api.example.com/v1/chat")
/// request.headers.add(name: "Content-Type", value: "application/json")
/// request.body = Array(json.utf8)
/// request.deadline = .now + .seconds(30)
/// ```
public struct HTTPClientRequest: Sendable {
    /// The method, sent as is (`GET`, `POST`, `PUT`, `DELETE`, `HEAD`, ...).
    public var method: String
    /// An absolute `http` or `https` URL; anything else fails with ``HTTPClientError/Code/invalidURL``.
    public var url: String
    /// Header fields to send. `User-Agent` here overrides the configured one. Without a `Content-Type`
    /// no content type is sent (curl's form default is suppressed), and `Expect: 100-continue` is off.
    public var headers: HTTPClientHeaders
    /// The request body, or `nil` for none. An empty array sends `Content-Length: 0`.
    public var body: [UInt8]?
    /// An absolute point after which the request fails with ``HTTPClientError/Code/totalTimeout``,
    /// whichever comes first of this and `totalTimeout`. Use it to share one budget across retries.
    public var deadline: ContinuousClock.Instant?
    /// Overrides ``HTTPClient/Configuration/connectTimeout`` for this request.
    public var connectTimeout: Duration?
    /// Overrides ``HTTPClient/Configuration/firstByteTimeout`` for this request.
    public var firstByteTimeout: Duration?
    /// Overrides ``HTTPClient/Configuration/idleTimeout`` for this request.
    public var idleTimeout: Duration?
    /// Overrides ``HTTPClient/Configuration/totalTimeout`` for this request.
    public var totalTimeout: Duration?
    /// Whose URL this is. `.tenant` requests pass the client's ``EgressGuard`` (resolved once,
    /// judged, pinned, no redirects, no proxy); set it wherever any part of the URL came from a tenant.
    public var egress: EgressTrust = .operatorEndpoint
    /// A tighter bound than ``HTTPClient/Configuration/maxResponseBodySize`` for this request's
    /// body (a downloaded photo, say), so an oversized answer fails with `bodyTooLarge` while it
    /// arrives instead of after it was all held in memory.
    public var maxBodySize: Int?
    /// Sign the request with AWS Signature Version 4 (an S3-compatible store); `nil`: unsigned.
    public var awsSignature: AWSSignature?

    /// Creates a request; the timeouts default to the client's configuration.
    /// - Parameters:
    ///   - method: The HTTP method, `GET` by default.
    ///   - url: An absolute `http` or `https` URL.
    ///   - headers: Fields to send, in order.
    ///   - body: Bytes to send, or `nil`.
    ///   - deadline: An absolute limit for the whole exchange, or `nil`.
    public init(
        method: String = "GET",
        url: String,
        headers: HTTPClientHeaders = [:],
        body: [UInt8]? = nil,
        deadline: ContinuousClock.Instant? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.deadline = deadline
    }
}
