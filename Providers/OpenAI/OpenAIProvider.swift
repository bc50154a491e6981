import Foundation
public import LeopostCore

/// Chat Completions with streaming, against OpenAI or any OpenAI-compatible base URL.
///
/// Usage comes from the stream itself (`stream_options.include_usage`), so a streamed call is
/// charged from the provider's own count. A stream that ends without `[DONE]` is reported as cut
/// short, so the caller charges what it counted instead of nothing.
public struct OpenAIProvider: AIProvider {
    /// Where and how to call; OpenAI's own API by default.
    public typealias Configuration = ProviderEndpoint

    /// OpenAI's API; any OpenAI-compatible server's `/v1` URL works in its place.
    public static let defaultBaseURL = "https://api.openai.com/v1"

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
            messages: request.messages.map(Self.message),
            max_tokens: request.maxTokens,
            temperature: request.temperature,
            tools: request.tools.isEmpty
                ? nil
                : request.tools.map { .init(function: .init(name: $0.name, description: $0.description, parameters: $0.parameters)) },
            stream: true,
            stream_options: .init(include_usage: true)
        )
        var headers: HTTPClientHeaders = [:]
        if let key = configuration.apiKey { headers.add(name: "Authorization", value: "Bearer \(key)") }
        let responseBody = try await StreamingCall.start(
            http: http, endpoint: configuration, url: configuration.baseURL + "/chat/completions", headers: headers, body: body, provider: kind
        ) { [kind] status, text, headers in
            let detail = try? WireJSON.decoder.decode(OpenAIWire.ErrorBody.self, from: Data(text)).error
            return OpenAIErrors.error(status: status, detail: detail, retryAfter: OpenAIErrors.retryAfter(headers), provider: kind)
        }
        let kind = self.kind
        return ServerSentEventChatStream.make(
            body: responseBody, provider: kind, requiresEnd: true,
            isEnd: { $0.data == "[DONE]" },
            decode: { event in try Self.decode(event, provider: kind) }
        )
    }

    /// One message as Chat Completions takes it: tool results as `role: tool` naming their call,
    /// the model's calls in `tool_calls`, images as `data:` URLs among content parts.
    static func message(_ message: ChatRequest.Message) -> OpenAIWire.Request.Message {
        if let result = message.toolResult {
            return .init(role: "tool", content: .text(result.content), tool_call_id: result.callID)
        }
        var content: OpenAIWire.Request.Content? = .text(message.content)
        if !message.images.isEmpty {
            let text = message.content.isEmpty ? [] : [OpenAIWire.Request.ContentPart(type: "text", text: message.content)]
            content = .parts(
                text
                    + message.images.map {
                        .init(type: "image_url", image_url: .init(url: "data:\($0.mimeType);base64,\(Data($0.data).base64EncodedString())"))
                    })
        } else if message.content.isEmpty && !message.toolCalls.isEmpty {
            content = nil
        }
        let calls = message.toolCalls.map { OpenAIWire.Request.ToolCall(id: $0.id, function: .init(name: $0.name, arguments: $0.arguments)) }
        return .init(role: message.role.rawValue, content: content, tool_calls: calls.isEmpty ? nil : calls)
    }

    static func decode(_ event: ServerSentEvent, provider: String) throws -> [ChatEvent] {
        let chunk: OpenAIWire.Chunk
        do {
            chunk = try WireJSON.decoder.decode(OpenAIWire.Chunk.self, from: Data(event.data.utf8))
        } catch {
            throw ProviderError(code: .malformedResponse, message: "a stream chunk is not the documented JSON", provider: provider)
        }
        if let detail = chunk.error {
            throw OpenAIErrors.error(status: 200, detail: detail, retryAfter: nil, provider: provider)
        }
        var events: [ChatEvent] = []
        for choice in chunk.choices ?? [] {
            if let content = choice.delta?.content, !content.isEmpty { events.append(.delta(content)) }
            for (position, call) in (choice.delta?.tool_calls ?? []).enumerated() {
                events.append(
                    .toolCall(
                        ToolCallDelta(
                            index: call.index ?? position, id: call.id, name: call.function?.name, arguments: call.function?.arguments ?? "")))
            }
            if let reason = choice.finish_reason {
                switch reason {
                case "stop": events.append(.finished(.stop))
                case "tool_calls", "function_call": events.append(.finished(.toolCalls))
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
