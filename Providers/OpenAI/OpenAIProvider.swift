import Foundation
public import LeopostCore

/// Chat Completions with streaming, against OpenAI or any OpenAI-compatible base URL.
///
/// Usage comes from the stream itself (`stream_options.include_usage`), so a streamed call is
/// charged from the provider's own count. A stream that ends without `[DONE]` is reported as cut
/// short, so the caller charges what it counted instead of nothing.
public struct OpenAIProvider: AIProvider {
    /// Where and how to call.
    public struct Configuration: Sendable {
        /// `https://api.openai.com/v1`, or a compatible server's `/v1` URL.
        public var baseURL: String
        /// The bearer key; compatible servers often need none.
        public var apiKey: String?
        /// The time allowed until the response head; the first token follows it in SSE.
        public var firstByteTimeout: Duration
        /// The time allowed for the whole answer.
        public var totalTimeout: Duration

        /// Creates a configuration.
        public init(
            baseURL: String = "https://api.openai.com/v1",
            apiKey: String? = nil,
            firstByteTimeout: Duration = .seconds(30),
            totalTimeout: Duration = .seconds(300)
        ) {
            self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            self.apiKey = apiKey
            self.firstByteTimeout = firstByteTimeout
            self.totalTimeout = totalTimeout
        }
    }

    /// `openai`.
    public let kind = "openai"
    private let configuration: Configuration
    private let http: HTTPClient

    /// Creates the adapter over the process's HTTP client.
    public init(configuration: Configuration, http: HTTPClient) {
        self.configuration = configuration
        self.http = http
    }

    public func stream(_ request: ChatRequest) async throws -> AsyncThrowingStream<ChatEvent, any Error> {
        let body = OpenAIWire.Request(
            model: request.model,
            messages: request.messages.map { .init(role: $0.role.rawValue, content: $0.content) },
            max_tokens: request.maxTokens,
            temperature: request.temperature,
            stream: true,
            stream_options: .init(include_usage: true)
        )
        var headers: HTTPClientHeaders = ["Content-Type": "application/json", "Accept": "text/event-stream"]
        if let key = configuration.apiKey { headers.add(name: "Authorization", value: "Bearer \(key)") }
        var call = HTTPClientRequest(
            method: "POST", url: configuration.baseURL + "/chat/completions", headers: headers, body: Array(try JSONEncoder().encode(body))
        )
        call.firstByteTimeout = configuration.firstByteTimeout
        call.totalTimeout = configuration.totalTimeout
        let response: HTTPClientStreamingResponse
        do {
            response = try await http.stream(call)
        } catch let error as HTTPClientError {
            throw ProviderError(fromTransport: error, provider: kind)
        }
        guard response.status == 200 else {
            let text = (try? await response.body.collect(upTo: 64 * 1024)) ?? []
            let detail = try? JSONDecoder().decode(OpenAIWire.ErrorBody.self, from: Data(text)).error
            throw OpenAIErrors.error(status: response.status, detail: detail, retryAfter: OpenAIErrors.retryAfter(response.headers), provider: kind)
        }
        let kind = self.kind
        return ServerSentEventChatStream.make(
            body: response.body, provider: kind, requiresEnd: true,
            isEnd: { $0.data == "[DONE]" },
            decode: { event in try Self.decode(event, provider: kind) }
        )
    }

    static func decode(_ event: ServerSentEvent, provider: String) throws -> [ChatEvent] {
        let chunk: OpenAIWire.Chunk
        do {
            chunk = try JSONDecoder().decode(OpenAIWire.Chunk.self, from: Data(event.data.utf8))
        } catch {
            throw ProviderError(code: .malformedResponse, message: "a stream chunk is not the documented JSON", provider: provider)
        }
        if let detail = chunk.error {
            throw OpenAIErrors.error(status: 200, detail: detail, retryAfter: nil, provider: provider)
        }
        var events: [ChatEvent] = []
        for choice in chunk.choices ?? [] {
            if let content = choice.delta?.content, !content.isEmpty { events.append(.delta(content)) }
            if let reason = choice.finish_reason {
                switch reason {
                case "stop": events.append(.finished(.stop))
                case "length": events.append(.finished(.length))
                case "content_filter": events.append(.finished(.contentFilter))
                default: events.append(.finished(.other))
                }
            }
        }
        if let usage = chunk.usage {
            events.append(
                .usage(
                    TokenUsage(
                        input: usage.prompt_tokens,
                        output: usage.completion_tokens,
                        cacheRead: usage.prompt_tokens_details?.cached_tokens ?? 0,
                        reasoning: usage.completion_tokens_details?.reasoning_tokens ?? 0
                    )
                )
            )
        }
        return events
    }
}
