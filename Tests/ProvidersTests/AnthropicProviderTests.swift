import LeopostCore
import LeopostProviders
import LeopostTestSupport
import Testing

@Suite("Anthropic provider against a local fake speaking the wire format")
struct AnthropicProviderTests {
    let logger = TestEnvironment.logger()

    func withProvider(_ body: @Sendable (AnthropicProvider) async throws -> Void) async throws {
        try await withTestHTTPServer(router: FakeAnthropic.router()) { port in
            try await HTTPClient.withHTTPClient(logger: logger) { http in
                try await body(AnthropicProvider(configuration: .init(baseURL: "http://127.0.0.1:\(port)", apiKey: "sk-ant-test"), http: http))
            }
        }
    }

    func request(_ model: String) -> ChatRequest {
        ChatRequest(model: model, messages: [.init(role: .system, content: "Brand: Acme"), .init(role: .user, content: "hi")], maxTokens: 64)
    }

    @Test func usageIsCumulativeTheLastReportIsTheBill() async throws {
        try await withProvider { provider in
            let answer = try await provider.complete(request("claude-sonnet-4-5"))
            #expect(answer.text == "Hello, world")
            #expect(answer.finish == .stop)
            // 25 input + 5 cache reads; output 15 from the last message_delta, not 1 + 2 + 15.
            #expect(answer.usage == TokenUsage(input: 30, output: 15, cacheRead: 5))
        }
    }

    @Test func overloadAndRateLimitsMapOnTheirTypes() async throws {
        try await withProvider { provider in
            await #expect { _ = try await provider.stream(request("overloaded")) } throws: {
                ($0 as? ProviderError)?.code == .overloaded && ($0 as? ProviderError)?.status == 529
            }
            await #expect { _ = try await provider.stream(request("ratelimit")) } throws: {
                ($0 as? ProviderError)?.code == .rateLimited && ($0 as? ProviderError)?.retryAfter == .seconds(12)
            }
        }
    }

    @Test(arguments: [("overloaded-midstream", ProviderError.Code.overloaded), ("cut", .malformedResponse)])
    func failuresUnderHTTP200ComeAfterTheTokensSent(model: String, code: ProviderError.Code) async throws {
        try await withProvider { provider in
            var text = ""
            var lastUsage: TokenUsage?
            do {
                for try await event in try await provider.stream(request(model)) {
                    if case .delta(let piece) = event { text += piece }
                    if case .usage(let usage) = event { lastUsage = usage }
                }
                Issue.record("\(model) should fail")
            } catch let error as ProviderError {
                #expect(error.code == code)
            }
            #expect(text == "Hello")
            #expect(lastUsage?.input == 30, "input usage is known from message_start even when the stream fails")
        }
    }
}
