/// A complete response: the final status and headers and the whole body, collected up to
/// ``HTTPClient/Configuration/maxResponseBodySize``.
///
/// Non-2xx statuses are responses, not errors: check ``status`` yourself.
public struct HTTPClientResponse: Sendable {
    /// The status code of the final response (interim `1xx` and followed redirects are skipped).
    public var status: Int
    /// The final response's header fields, in order, duplicates kept.
    public var headers: HTTPClientHeaders
    /// The response body.
    public var body: [UInt8]

    /// Creates a response; the client builds these, tests and fakes may too.
    public init(status: Int, headers: HTTPClientHeaders, body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
