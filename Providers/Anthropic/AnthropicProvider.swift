import Foundation
public import LeopostCore
import Synchronization

/// Anthropic's Messages API with streaming.
///
/// Usage arrives twice: input tokens in `message_start`, and a cumulative output count in each
/// `message_delta`; the adapter yields the running total, so the last `usage` event is the bill
/// (never a sum). An `error` event under HTTP 200 (`overloaded_error` mid-stream) is thrown with
/// its typed code, after the deltas already sent.
public struct AnthropicProvider: AIProvider {
    /// Where and how to call (the key goes in `x-api-key`).
    public typealias Configuration = ProviderEndpoint

    /// Anthropic's API.
    public static let defaultBaseURL = "https://api.anthropic.com"

    /// `anthropic`.
    public let kind = "anthropic"
    private let configuration: Configuration
    private let version: String
    private let http: HTTPClient

    /// Creates the adapter over the process's HTTP client.
    /// - Parameter version: the `anthropic-version` header.
    public init(configuration: Configuration, version: String = "2023-06-01", http: HTTPClient) {
        self.configuration = configuration
        self.version = version
        self.http = http
    }

    public func stream(_ request: ChatRequest) async throws -> AsyncThrowingStream<ChatEvent, any Error> {
        let system = request.messages.filter { $0.role == .system }.map(\.content).joined(separator: "\n\n")
        let body = AnthropicWire.Request(
            model: request.model,
            max_tokens: request.maxTokens,
            system: system.isEmpty ? nil : system,
            messages: Self.messages(request.messages),
            temperature: request.temperature,
            tools: request.tools.isEmpty ? nil : request.tools.map { .init(name: $0.name, description: $0.description, input_schema: $0.parameters) },
            stream: true
        )
        let headers: HTTPClientHeaders = ["x-api-key": configuration.apiKey ?? "", "anthropic-version": version]
        let responseBody = try await StreamingCall.start(
            http: http, endpoint: configuration, url: configuration.baseURL + "/v1/messages", headers: headers, body: body, provider: kind
        ) { [kind] status, text, headers in
            let detail = try? WireJSON.decoder.decode(AnthropicWire.ErrorBody.self, from: Data(text)).error
            return Self.error(status: status, detail: detail, retryAfter: Self.retryAfter(headers), provider: kind)
        }
        let kind = self.kind
        let usage = Mutex(TokenUsage(input: 0, output: 0))
        return ServerSentEventChatStream.make(
            body: responseBody, provider: kind, requiresEnd: true,
            isEnd: { $0.event == "message_stop" },
            decode: { event in try Self.decode(event, usage: usage, provider: kind) }
        )
    }

    /// The turns as content blocks. Tool results go back in a user turn, all results of one model
    /// turn in the same user turn, as the Messages API requires; a call's input is sent as the
    /// object the model wrote (`{}` when it wrote no valid JSON: its result says so).
    static func messages(_ messages: [ChatRequest.Message]) -> [AnthropicWire.Request.Message] {
        var turns: [AnthropicWire.Request.Message] = []
        for message in messages where message.role != .system {
            var blocks: [AnthropicWire.Request.Block] = []
            if let result = message.toolResult {
                blocks.append(.init(type: "tool_result", tool_use_id: result.callID, content: result.content, is_error: result.isError ? true : nil))
            } else {
                blocks += message.images.map {
                    .init(type: "image", source: .init(media_type: $0.mimeType, data: Data($0.data).base64EncodedString()))
                }
                if !message.content.isEmpty { blocks.append(.init(type: "text", text: message.content)) }
                blocks += message.toolCalls.map { call in
                    let input = JSONValue.parse(call.arguments).flatMap { $0.objectValue.map(JSONValue.object) } ?? .object([:])
                    return .init(type: "tool_use", id: call.id, name: call.name, input: input)
                }
            }
            let role = message.role == .assistant ? "assistant" : "user"
            if message.role == .tool, let last = turns.last, last.role == "user", last.content.allSatisfy({ $0.type == "tool_result" }) {
                turns[turns.count - 1].content += blocks
            } else {
                turns.append(.init(role: role, content: blocks))
            }
        }
        return turns
    }

    static func decode(_ event: ServerSentEvent, usage: borrowing Mutex<TokenUsage>, provider: String) throws -> [ChatEvent] {
        let payload: AnthropicWire.Event
        do {
            payload = try WireJSON.decoder.decode(AnthropicWire.Event.self, from: Data(event.data.utf8))
        } catch {
            throw ProviderError(code: .malformedResponse, message: "a stream event is not the documented JSON", provider: provider)
        }
        switch payload.type {
        case "message_start":
            let counted = payload.message?.usage
            let total = usage.withLock { usage in
                usage.input = (counted?.input_tokens ?? 0) + (counted?.cache_read_input_tokens ?? 0)
                usage.cacheRead = counted?.cache_read_input_tokens ?? 0
                usage.output = counted?.output_tokens ?? 0
                return usage
            }
            return [.usage(total)]
        case "content_block_start":
            guard let block = payload.content_block, block.type == "tool_use" else { return [] }
            return [.toolCall(ToolCallDelta(index: payload.index ?? 0, id: block.id, name: block.name))]
        case "content_block_delta":
            if payload.delta?.type == "input_json_delta" {
                guard let piece = payload.delta?.partial_json, !piece.isEmpty else { return [] }
                return [.toolCall(ToolCallDelta(index: payload.index ?? 0, arguments: piece))]
            }
            guard payload.delta?.type == "text_delta", let text = payload.delta?.text, !text.isEmpty else { return [] }
            return [.delta(text)]
        case "message_delta":
            var events: [ChatEvent] = []
            if let output = payload.usage?.output_tokens {
                // Cumulative: replaces the count so far, never adds to it.
                events.append(
                    .usage(
                        usage.withLock { usage in
                            usage.output = output
                            return usage
                        }))
            }
            if let reason = payload.delta?.stop_reason {
                switch reason {
                case "end_turn", "stop_sequence": events.append(.finished(.stop))
                case "tool_use": events.append(.finished(.toolCalls))
                case "max_tokens": events.append(.finished(.length))
                case "refusal": events.append(.finished(.contentFilter))
                default: events.append(.finished(.other))
                }
            }
            return events
        case "error":
            throw error(status: 200, detail: payload.error, retryAfter: nil, provider: provider)
        default:
            return []  // ping, content_block_stop and event types added later
        }
    }

    /// Maps Anthropic's status and typed `error.type` (never the message) onto `ProviderError`.
    static func error(status: Int, detail: AnthropicWire.ErrorBody.Detail?, retryAfter: Duration?, provider: String) -> ProviderError {
        let message = detail?.message ?? "HTTP \(status) without an error body"
        func make(_ code: ProviderError.Code) -> ProviderError {
            ProviderError(code: code, message: message, provider: provider, status: status, retryAfter: retryAfter)
        }
        switch detail?.type {
        case "overloaded_error": return make(.overloaded)
        case "rate_limit_error": return make(.rateLimited)
        case "billing_error": return make(.quotaExhausted)
        case "authentication_error", "permission_error": return make(.authentication)
        case "request_too_large": return make(.contextTooLong)
        case "api_error": return make(.server)
        case "invalid_request_error", "not_found_error": return make(.badRequest)
        default: break
        }
        switch status {
        case 529: return make(.overloaded)
        case 429: return make(.rateLimited)
        case 402: return make(.quotaExhausted)
        case 401, 403: return make(.authentication)
        case 413: return make(.contextTooLong)
        case 500...599: return make(.server)
        case 400...499: return make(.badRequest)
        default: return make(.malformedResponse)
        }
    }

    static func retryAfter(_ headers: HTTPClientHeaders) -> Duration? {
        headers.first(name: "retry-after").flatMap(Double.init).map { .milliseconds(Int64($0 * 1000)) }
    }
}
