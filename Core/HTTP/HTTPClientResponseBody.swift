/// A streaming response body: chunks as the network delivers them, with backpressure.
///
/// Iterate it once. Each chunk is what one read from the connection produced, so chunk boundaries say
/// nothing about message boundaries (an SSE parser must be byte-fed). A slow consumer pauses the transfer
/// instead of growing a buffer (see ``HTTPClient/Configuration/streamBufferSize``). Cancelling the iterating
/// task, leaving the loop early, or dropping the body unread aborts the transfer and frees its connection.
///
/// ```swift
/// let response = try await client.stream(request)
/// for try await chunk in response.body { parser.feed(chunk) }
/// ```
public struct HTTPClientResponseBody: AsyncSequence, Sendable {
    /// A chunk of body bytes.
    public typealias Element = [UInt8]
    /// Errors thrown by iteration: always an ``HTTPClientError``, typed as `any Error` for `AsyncSequence`.
    public typealias Failure = any Error

    let consumer: BodyConsumer

    init(consumer: BodyConsumer) {
        self.consumer = consumer
    }

    /// Starts the (single) iteration.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(consumer: BodyConsumer(parent: consumer))
    }

    /// Reads chunks as they arrive; dropping it before the end aborts the transfer.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let consumer: BodyConsumer

        /// The next chunk, `nil` at the end of the body, or the error that ended the transfer.
        public mutating func next() async throws -> [UInt8]? {
            try await consumer.next()
        }
    }

    /// Collects the remaining body, failing with ``HTTPClientError/Code/bodyTooLarge`` (and aborting the
    /// transfer) once it would exceed `maxBytes`.
    /// - Parameter maxBytes: The most bytes to accept; bodies are never collected without a bound.
    public func collect(upTo maxBytes: Int) async throws -> [UInt8] {
        var collected: [UInt8] = []
        for try await chunk in self {
            guard collected.count + chunk.count <= maxBytes else {
                throw HTTPClientError(code: .bodyTooLarge, message: "the streamed response body exceeds \(maxBytes) bytes")
            }
            collected += chunk
        }
        return collected
    }
}
