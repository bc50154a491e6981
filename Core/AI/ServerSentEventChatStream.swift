/// Turns a streaming HTTP body of server-sent events into `ChatEvent`s, pulling on demand.
///
/// No task is started: each `next()` reads from the body only as far as the next event, so a slow
/// reader applies backpressure to the provider and cancelling the reader's task cancels the call.
/// Each provider supplies the decoding of its own event payloads.
public enum ServerSentEventChatStream {
    /// A provider's event decoder: one SSE event in, zero or more chat events out.
    public typealias Decode = @Sendable (ServerSentEvent) throws -> [ChatEvent]

    /// How much of a provider's stream is read at most. A tenant's endpoint that streams garbage
    /// forever (endless events without text, one event that never ends, text without end) fails
    /// the answer with the reason, instead of growing the router's memory until the total timeout.
    public struct Limits: Sendable {
        /// The largest event, its data lines together. Default 1 MiB.
        public var maxEventBytes: Int
        /// The most bytes of one answer's stream. Default 16 MiB (a 32,000-token answer is about 8).
        public var maxTotalBytes: Int
        /// The most events before the first text (keep-alive comments are not events). Default 10,000.
        public var maxEventsBeforeText: Int

        /// Creates limits; every parameter has the documented default.
        public init(maxEventBytes: Int = 1 << 20, maxTotalBytes: Int = 16 << 20, maxEventsBeforeText: Int = 10_000) {
            self.maxEventBytes = maxEventBytes
            self.maxTotalBytes = maxTotalBytes
            self.maxEventsBeforeText = maxEventsBeforeText
        }
    }

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
        limits: Limits = Limits(),
        decode: @escaping Decode
    ) -> AsyncThrowingStream<ChatEvent, any Error> {
        let state = PullState(body: body, limits: limits)
        return AsyncThrowingStream(unfolding: {
            try await state.next(provider: provider, requiresEnd: requiresEnd, isEnd: isEnd, decode: decode)
        })
    }

    /// The iteration state; only the stream's single consumer touches it, one call at a time.
    private final class PullState: @unchecked Sendable {
        var chunks: HTTPClientResponseBody.AsyncIterator
        var parser: ServerSentEventParser
        var pending: [ChatEvent] = []
        var ended = false
        let limits: Limits
        var bytesRead = 0
        var eventsBeforeText = 0
        var sawText = false

        init(body: HTTPClientResponseBody, limits: Limits) {
            self.chunks = body.makeAsyncIterator()
            self.limits = limits
            self.parser = ServerSentEventParser(maxLineBytes: limits.maxEventBytes, maxEventBytes: limits.maxEventBytes)
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
                        throw ProviderError(
                            code: .malformedResponse, message: "the stream ended before its end marker (cut short)", provider: provider)
                    }
                    return nil
                }
                bytesRead += chunk.count
                guard bytesRead <= limits.maxTotalBytes else {
                    throw ProviderError(
                        code: .malformedResponse, message: "the stream went past \(limits.maxTotalBytes) bytes; the answer was stopped there",
                        provider: provider)
                }
                let events: [ServerSentEvent]
                do { events = try parser.feed(chunk) } catch {
                    throw ProviderError(
                        code: .malformedResponse, message: "an event was longer than \(limits.maxEventBytes) bytes", provider: provider)
                }
                for event in events {
                    if isEnd(event) {
                        ended = true
                        break
                    }
                    let decoded = try decode(event)
                    if !sawText {
                        sawText = decoded.contains {
                            switch $0 {
                            case .delta, .toolCall: true
                            default: false
                            }
                        }
                        eventsBeforeText += 1
                        guard sawText || eventsBeforeText <= limits.maxEventsBeforeText else {
                            throw ProviderError(
                                code: .malformedResponse, message: "\(limits.maxEventsBeforeText) events came without any answer text",
                                provider: provider)
                        }
                    }
                    pending += decoded
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
