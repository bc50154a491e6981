import LeopostCore
import LeopostProviders
import LeopostTestSupport
import Testing

/// Tool calling through each adapter against its provider's fake, in that provider's wire format:
/// the call streams in (in pieces where the provider streams them), goes back with its result in
/// the shape the provider requires, and the model answers in text.
@Suite("Tool calls in OpenAI's, Anthropic's and Gemini's wire formats")
struct ToolCallingTests {
    let logger = TestEnvironment.logger()

    static let draftPost = ToolDefinition(
        name: "draft_post", description: "Draft a post.",
        parameters: [
            "type": "object",
            "properties": ["text": ["type": "string"], "platforms": ["type": "array", "items": ["type": "string"]]],
            "required": ["text", "platforms"],
        ])

    /// Asks, checks the call, answers it, and returns the final text.
    func round(_ provider: any AIProvider, model: String) async throws -> (call: ToolCall, first: Completion, text: String) {
        var request = ChatRequest(
            model: model,
            messages: [.init(role: .system, content: "Brand: Acme"), .init(role: .user, content: "Post about our spring sale on Mastodon")],
            maxTokens: 64, tools: [Self.draftPost])
        let first = try await provider.complete(request)
        let call = try #require(first.toolCalls.first)
        request.messages.append(.init(role: .assistant, content: first.text, toolCalls: first.toolCalls))
        request.messages.append(.tool(.init(callID: call.id, name: call.name, content: #"{"post_id":"p1","state":"draft"}"#, isError: false)))
        let second = try await provider.complete(request)
        #expect(second.toolCalls.isEmpty)
        return (call, first, second.text)
    }

    func expectDraftCall(_ call: ToolCall) {
        #expect(call.name == "draft_post")
        #expect(JSONValue.parse(call.arguments) == ["text": "Spring sale!", "platforms": ["mastodon"]])
    }

    @Test func openAIStreamsToolCallDeltasAndTakesToolMessages() async throws {
        try await withTestHTTPServer(router: FakeOpenAI.router()) { port in
            try await HTTPClient.withHTTPClient(logger: logger) { http in
                let provider = OpenAIProvider(configuration: .init(baseURL: "http://127.0.0.1:\(port)/v1", apiKey: "sk-test"), http: http)
                let (call, first, text) = try await round(provider, model: "tools")
                #expect(call.id == "call_abc123")
                expectDraftCall(call)
                #expect(first.finish == .toolCalls)
                #expect(text == "Drafted: see the preview.")
            }
        }
    }

    @Test func anthropicStreamsToolUseBlocksAndTakesToolResults() async throws {
        try await withTestHTTPServer(router: FakeAnthropic.router()) { port in
            try await HTTPClient.withHTTPClient(logger: logger) { http in
                let provider = AnthropicProvider(configuration: .init(baseURL: "http://127.0.0.1:\(port)", apiKey: "sk-ant-test"), http: http)
                let (call, first, text) = try await round(provider, model: "tools")
                #expect(call.id == "toolu_01T1x1fJ34qAmk2tNTrN7Up6")
                expectDraftCall(call)
                #expect(first.text == "Drafting it.")
                #expect(first.finish == .toolCalls)
                #expect(first.usage?.output == 89)
                #expect(text == "Drafted: see the preview.")
            }
        }
    }

    @Test func geminiSendsFunctionCallsWholeAndWantsTheirSignaturesBack() async throws {
        try await withTestHTTPServer(router: FakeGemini.router()) { port in
            try await HTTPClient.withHTTPClient(logger: logger) { http in
                let provider = GeminiProvider(configuration: .init(baseURL: "http://127.0.0.1:\(port)", apiKey: "gm-test"), http: http)
                let (call, first, text) = try await round(provider, model: "tools")
                expectDraftCall(call)
                #expect(call.signature == "c2lnLTE=")
                #expect(first.finish == .toolCalls)
                #expect(text == "Drafted: see the preview.")
            }
        }
    }

    @Test func aToolCallCountsAsTheAnswerStartingSoTheChainStopsFallingBack() async throws {
        try await withTestHTTPServer(router: FakeOpenAI.router()) { port in
            try await HTTPClient.withHTTPClient(logger: logger) { http in
                let provider = OpenAIProvider(configuration: .init(baseURL: "http://127.0.0.1:\(port)/v1", apiKey: "sk-test"), http: http)
                let chain = ProviderChain(entries: [.init(name: "openai", provider: provider, model: "tools", firstTokenTimeout: .seconds(30))])
                let answer = try await chain.start(
                    ChatRequest(model: "", messages: [.init(role: .user, content: "Post it")], maxTokens: 64, tools: [Self.draftPost]))
                var calls = ToolCallAssembler()
                for try await event in answer.events { if case .toolCall(let piece) = event { calls.add(piece) } }
                #expect(answer.attempts.map(\.failure) == [nil])
                #expect(calls.calls.map(\.name) == ["draft_post"])
            }
        }
    }
}
