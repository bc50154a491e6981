import Foundation
public import LeopostCore

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
            contents: request.messages.filter { $0.role != .system }.map {
                GeminiWire.Content(role: $0.role == .assistant ? "model" : "user", parts: [.init(text: $0.content)])
            },
            systemInstruction: system.isEmpty ? nil : GeminiWire.Content(role: nil, parts: [.init(text: system)]),
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
        let events = ServerSentEventChatStream.make(
            body: responseBody, provider: kind, requiresEnd: false, isEnd: { _ in false },
            decode: { event in try Self.decode(event, provider: kind) }
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

    static func decode(_ event: ServerSentEvent, provider: String) throws -> [ChatEvent] {
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
            for part in candidate.content?.parts ?? [] where !(part.text ?? "").isEmpty { events.append(.delta(part.text!)) }
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
            case "STOP": events.append(.finished(.stop))
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
