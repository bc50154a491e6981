/// A response whose head has arrived and whose body is still arriving.
///
/// Returned by ``HTTPClient/stream(_:)`` as soon as the status line and headers are in, so a
/// server-sent-events consumer can start parsing before the server has finished. Iterate ``body`` once;
/// ending the iteration early (or dropping the response unread) aborts the transfer.
public struct HTTPClientStreamingResponse: Sendable {
    /// The status code of the final response.
    public var status: Int
    /// The final response's header fields, in order, duplicates kept.
    public var headers: HTTPClientHeaders
    /// The body, chunk by chunk as the network delivers it. Errors during the transfer
    /// (``HTTPClientError/Code/idleTimeout``, ``HTTPClientError/Code/connectionClosed``, ...) are thrown from it.
    public var body: HTTPClientResponseBody

    init(status: Int, headers: HTTPClientHeaders, body: HTTPClientResponseBody) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
