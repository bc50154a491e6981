import Foundation
public import LeopostCore
import Synchronization

/// Google Gemini's `streamGenerateContent` with `alt=sse`.
///
/// Usage comes from `usageMetadata` (thinking tokens are billed as output). Gemini's stream has no
/// end marker, so an answer is complete only when a candidate reported its `finishReason`; a stream
/// that ends without one was cut short.
public struct GeminiProvider: AIProvider {
    /// Where and how to call (the key goes in `x-goog-api-key`).
    public typealias Configuration = ProviderEndpoint

    /// Google's Generative Language API.
    public static let defaultBaseURL = "https://generativelanguage.googleapis.com"

    /// `gemini`.
    public let kind = "gemini"
    private let configuration: Configuration
    private let http: HTTPClient

    /// Creates the adapter over the process's HTTP client.
    public init(configuration: Configuration, http: HTTPClient) {
        self.configuration = configuration
        self.http = http
    }

    public func stream(_ request: ChatRequest) async throws -> AsyncThrowingStream<ChatEvent, any Error> {
        let system = request.messages.filter { $0.role == .system }.map(\.content).joined(separator: "\n\n")
        let body = GeminiWire.Request(
            contents: Self.contents(request.messages),
            systemInstruction: system.isEmpty ? nil : GeminiWire.Content(role: nil, parts: [.init(text: system)]),
            tools: request.tools.isEmpty
                ? nil
                : [.init(functionDeclarations: request.tools.map { .init(name: $0.name, description: $0.description, parameters: $0.parameters) })],
            generationConfig: .init(maxOutputTokens: request.maxTokens, temperature: request.temperature)
        )
        guard let model = request.model.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/", ":"])) else {
            throw ProviderError(code: .badRequest, message: "the model name cannot be put in a URL", provider: kind)
        }
        let url = configuration.baseURL + "/v1beta/models/\(model):streamGenerateContent?alt=sse"
        let responseBody = try await StreamingCall.start(
            http: http, endpoint: configuration, url: url, headers: ["x-goog-api-key": configuration.apiKey ?? ""], body: body, provider: kind
        ) { [kind] status, text, _ in
            let detail = try? WireJSON.decoder.decode(GeminiWire.ErrorBody.self, from: Data(text)).error
            return Self.error(status: status, detail: detail, retryAfter: nil, provider: kind)
        }
        let kind = self.kind
        let calls = Mutex(0)
        let events = ServerSentEventChatStream.make(
            body: responseBody, provider: kind, requiresEnd: false, isEnd: { _ in false },
            decode: { event in try Self.decode(event, calls: calls, provider: kind) }
        )
        return Self.requiringFinish(events, provider: kind)
    }

    /// Passes events through and fails a stream that ended without a finish reason.
    static func requiringFinish(_ events: AsyncThrowingStream<ChatEvent, any Error>, provider: String) -> AsyncThrowingStream<ChatEvent, any Error> {
        let state = SendableBox((iterator: events.makeAsyncIterator(), finished: false))
        return AsyncThrowingStream(unfolding: {
            guard let event = try await state.value.iterator.next() else {
                if state.value.finished { return nil }
                throw ProviderError(code: .malformedResponse, message: "the stream ended before a finishReason (cut short)", provider: provider)
            }
            if case .finished = event { state.value.finished = true }
            return event
        })
    }

    /// The turns as `contents`: the model's turns as `model`, function responses in a `user` turn
    /// (all answers to one model turn in one), each naming its function; a response is an object,
    /// so a result that is not one is wrapped as `{"result": …}` (or `{"error": …}`).
    static func contents(_ messages: [ChatRequest.Message]) -> [GeminiWire.Content] {
        var contents: [GeminiWire.Content] = []
        for message in messages where message.role != .system {
            var parts: [GeminiWire.Part] = []
            if let result = message.toolResult {
                let value = JSONValue.parse(result.content)
                let response: JSONValue =
                    if !result.isError, let object = value?.objectValue { .object(object) } else {
                        .object([result.isError ? "error" : "result": value ?? .string(result.content)])
                    }
                // The call's id goes back only when Gemini gave one (`call_<n>` is Leopost's own).
                let id = result.callID.hasPrefix("call_") ? nil : result.callID
                parts.append(.init(functionResponse: .init(id: id, name: result.name, response: response)))
            } else {
                parts += message.images.map { .init(inlineData: .init(mimeType: $0.mimeType, data: Data($0.data).base64EncodedString())) }
                if !message.content.isEmpty { parts.append(.init(text: message.content)) }
                parts += message.toolCalls.enumerated().map { position, call in
                    let args = JSONValue.parse(call.arguments).flatMap { $0.objectValue.map(JSONValue.object) } ?? .object([:])
                    let id = call.id.hasPrefix("call_") ? nil : call.id
                    // A turn another provider made has no signature; Google documents this value for
                    // such histories, and Gemini 3 refuses a first call without any.
                    let signature = call.signature ?? (position == 0 ? "skip_thought_signature_validator" : nil)
                    return .init(functionCall: .init(id: id, name: call.name, args: args), thoughtSignature: signature)
                }
            }
            if message.role == .tool, let last = contents.last, last.role == "user", last.parts.allSatisfy({ $0.functionResponse != nil }) {
                contents[contents.count - 1].parts += parts
            } else {
                contents.append(.init(role: message.role == .assistant ? "model" : "user", parts: parts))
            }
        }
        return contents
    }

    /// Decodes one event; `calls` counts the function calls so far (Gemini sends each whole, in order).
    static func decode(_ event: ServerSentEvent, calls: borrowing Mutex<Int>, provider: String) throws -> [ChatEvent] {
        let payload: GeminiWire.Response
        do {
            payload = try WireJSON.decoder.decode(GeminiWire.Response.self, from: Data(event.data.utf8))
        } catch {
            throw ProviderError(code: .malformedResponse, message: "a stream event is not the documented JSON", provider: provider)
        }
        if let detail = payload.error { throw Self.error(status: detail.code ?? 500, detail: detail, retryAfter: nil, provider: provider) }
        if let reason = payload.promptFeedback?.blockReason {
            throw ProviderError(code: .contentFiltered, message: "the prompt was blocked (\(reason))", provider: provider)
        }
        var events: [ChatEvent] = []
        for candidate in payload.candidates ?? [] {
            for part in candidate.content?.parts ?? [] where part.thought != true {
                if let text = part.text, !text.isEmpty { events.append(.delta(text)) }
                if let call = part.functionCall {
                    let index = calls.withLock { count in
                        defer { count += 1 }
                        return count
                    }
                    events.append(
                        .toolCall(
                            ToolCallDelta(
                                index: index, id: call.id, name: call.name, arguments: (call.args ?? .object([:])).text,
                                signature: part.thoughtSignature)))
                }
            }
        }
        if let usage = payload.usageMetadata {
            // Each event carries the totals so far; thinking tokens are billed as output.
            let thoughts = usage.thoughtsTokenCount ?? 0
            events.append(
                .usage(
                    TokenUsage(
                        input: usage.promptTokenCount ?? 0, output: (usage.candidatesTokenCount ?? 0) + thoughts,
                        cacheRead: usage.cachedContentTokenCount ?? 0, reasoning: thoughts
                    )
                )
            )
        }
        for candidate in payload.candidates ?? [] {
            switch candidate.finishReason {
            case nil, "FINISH_REASON_UNSPECIFIED": break
            // Gemini says STOP after function calls too; the calls are what make it a tool turn.
            case "STOP": events.append(.finished(calls.withLock { $0 } > 0 ? .toolCalls : .stop))
            case "MAX_TOKENS": events.append(.finished(.length))
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII": events.append(.finished(.contentFilter))
            default: events.append(.finished(.other))
            }
        }
        return events
    }

    /// Maps Gemini's HTTP status and `error.status` (never the message) onto `ProviderError`.
    static func error(status: Int, detail: GeminiWire.ErrorBody.Detail?, retryAfter: Duration?, provider: String) -> ProviderError {
        let message = detail?.message ?? "HTTP \(status) without an error body"
        func make(_ code: ProviderError.Code) -> ProviderError {
            ProviderError(code: code, message: message, provider: provider, status: status, retryAfter: retryAfter)
        }
        switch detail?.status {
        case "RESOURCE_EXHAUSTED": return make(.rateLimited)
        case "UNAUTHENTICATED", "PERMISSION_DENIED": return make(.authentication)
        case "UNAVAILABLE": return make(.overloaded)
        case "DEADLINE_EXCEEDED": return make(.timeout)
        case "INTERNAL": return make(.server)
        case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "NOT_FOUND": return make(.badRequest)
        default: break
        }
        switch status {
        case 429: return make(.rateLimited)
        case 401, 403: return make(.authentication)
        case 503: return make(.overloaded)
        case 504: return make(.timeout)
        case 500...599: return make(.server)
        case 400...499: return make(.badRequest)
        default: return make(.malformedResponse)
        }
    }
}
