import LeopostCore
import LeopostProviders
import LeopostTestSupport
import Testing

@Suite("Gemini provider against a local fake speaking the wire format")
struct GeminiProviderTests {
    let logger = TestEnvironment.logger()

    func withProvider(apiKey: String = "gm-test", _ body: @Sendable (GeminiProvider) async throws -> Void) async throws {
        try await withTestHTTPServer(router: FakeGemini.router()) { port in
            try await HTTPClient.withHTTPClient(logger: logger) { http in
                try await body(GeminiProvider(configuration: .init(baseURL: "http://127.0.0.1:\(port)", apiKey: apiKey), http: http))
            }
        }
    }

    func request(_ model: String) -> ChatRequest {
        ChatRequest(model: model, messages: [.init(role: .system, content: "Brand: Acme"), .init(role: .user, content: "hi")], maxTokens: 64)
    }

    @Test func streamsTextAndUsageWithThinkingBilledAsOutput() async throws {
        try await withProvider { provider in
            let answer = try await provider.complete(request("gemini-2.5-flash"))
            #expect(answer.text == "Hello, world")
            #expect(answer.finish == .stop)
            #expect(answer.usage == TokenUsage(input: 8, output: 7, reasoning: 4))
        }
    }

    @Test func errorsMapOnStatusNames() async throws {
        try await withProvider { provider in
            await #expect { _ = try await provider.stream(request("exhausted")) } throws: { ($0 as? ProviderError)?.code == .rateLimited }
            await #expect { _ = try await provider.complete(request("blocked")) } throws: { ($0 as? ProviderError)?.code == .contentFiltered }
            await #expect { _ = try await provider.complete(request("cut")) } throws: { ($0 as? ProviderError)?.code == .malformedResponse }
        }
        try await withProvider(apiKey: "wrong") { provider in
            await #expect { _ = try await provider.stream(request("gemini-2.5-flash")) } throws: { ($0 as? ProviderError)?.code == .authentication }
        }
    }
}
