/// Turns a streaming HTTP body of server-sent events into `ChatEvent`s, pulling on demand.
///
/// No task is started: each `next()` reads from the body only as far as the next event, so a slow
/// reader applies backpressure to the provider and cancelling the reader's task cancels the call.
/// Each provider supplies the decoding of its own event payloads.
public enum ServerSentEventChatStream {
    /// A provider's event decoder: one SSE event in, zero or more chat events out.
    public typealias Decode = @Sendable (ServerSentEvent) throws -> [ChatEvent]

    /// Builds the event stream.
    /// - Parameters:
    ///   - body: the response body, positioned after a successful status.
    ///   - provider: the provider's kind, for errors.
    ///   - decode: the provider's payload decoding.
    ///   - isEnd: true for the event that closes the stream normally (OpenAI's `[DONE]`).
    ///   - requiresEnd: when true, a body that ends before `isEnd` matched is a truncated answer.
    public static func make(
        body: HTTPClientResponseBody,
        provider: String,
        requiresEnd: Bool,
        isEnd: @escaping @Sendable (ServerSentEvent) -> Bool,
        decode: @escaping Decode
    ) -> AsyncThrowingStream<ChatEvent, any Error> {
        let state = PullState(body: body)
        return AsyncThrowingStream(unfolding: {
            try await state.next(provider: provider, requiresEnd: requiresEnd, isEnd: isEnd, decode: decode)
        })
    }

    /// The iteration state; only the stream's single consumer touches it, one call at a time.
    private final class PullState: @unchecked Sendable {
        var chunks: HTTPClientResponseBody.AsyncIterator
        var parser = ServerSentEventParser()
        var pending: [ChatEvent] = []
        var ended = false

        init(body: HTTPClientResponseBody) {
            self.chunks = body.makeAsyncIterator()
        }

        func next(
            provider: String,
            requiresEnd: Bool,
            isEnd: (ServerSentEvent) -> Bool,
            decode: Decode
        ) async throws -> ChatEvent? {
            while pending.isEmpty {
                if ended { return nil }
                let chunk: [UInt8]?
                do {
                    chunk = try await chunks.next()
                } catch let error as HTTPClientError {
                    throw ProviderError(fromTransport: error, provider: provider)
                }
                guard let chunk else {
                    ended = true
                    if requiresEnd {
                        throw ProviderError(code: .malformedResponse, message: "the stream ended before its end marker (cut short)", provider: provider)
                    }
                    return nil
                }
                let events: [ServerSentEvent]
                do { events = try parser.feed(chunk) } catch {
                    throw ProviderError(code: .malformedResponse, message: "an event line was longer than 1 MiB", provider: provider)
                }
                for event in events {
                    if isEnd(event) {
                        ended = true
                        break
                    }
                    pending += try decode(event)
                }
            }
            return pending.removeFirst()
        }
    }
}

extension ProviderError {
    /// Maps a transport failure of the HTTP client onto the provider error model.
    public init(fromTransport error: HTTPClientError, provider: String) {
        let code: Code
        switch error.code {
        case .connectTimeout, .firstByteTimeout, .idleTimeout, .totalTimeout: code = .timeout
        case .cancelled: code = .cancelled
        case .bodyTooLarge: code = .malformedResponse
        // The tenant's base_url leads somewhere Leopost does not call: a setting to fix, not an outage.
        case .egressRefused, .invalidURL: code = .badRequest
        default: code = .server
        }
        self.init(code: code, message: error.message, provider: provider)
    }
}
