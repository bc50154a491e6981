import LeopostCore
import LeopostProviders
import LeopostTestSupport
import Testing

@Suite("OpenAI(-compatible) provider against a local fake speaking the wire format")
struct OpenAIProviderTests {
    let logger = TestEnvironment.logger()

    func withProvider(apiKey: String = "sk-test", _ body: @Sendable (OpenAIProvider) async throws -> Void) async throws {
        try await withTestHTTPServer(router: FakeOpenAI.router()) { port in
            try await HTTPClient.withHTTPClient(logger: logger) { http in
                let configuration = OpenAIProvider.Configuration(baseURL: "http://127.0.0.1:\(port)/v1/", apiKey: apiKey)
                try await body(OpenAIProvider(configuration: configuration, http: http))
            }
        }
    }

    func request(_ model: String) -> ChatRequest {
        ChatRequest(model: model, messages: [.init(role: .system, content: "Brand: Acme"), .init(role: .user, content: "hi")], maxTokens: 64)
    }

    @Test func streamsDeltasUsageAndTheFinishReason() async throws {
        try await withProvider { provider in
            var events: [ChatEvent] = []
            for try await event in try await provider.stream(request("gpt-4o-mini")) { events.append(event) }
            #expect(events == [.delta("Hello"), .delta(", world"), .finished(.stop), .usage(TokenUsage(input: 9, output: 2, cacheRead: 4))])
        }
    }

    @Test func httpErrorsMapOnTheirTypedCodes() async throws {
        try await withProvider { provider in
            let cases: [(String, ProviderError.Code)] = [
                ("quota", .quotaExhausted), ("ratelimit", .rateLimited), ("context", .contextTooLong), ("html", .server),
            ]
            for (model, code) in cases {
                do {
                    _ = try await provider.stream(request(model))
                    Issue.record("\(model) should fail")
                } catch let error as ProviderError {
                    #expect(error.code == code, "\(model): \(error)")
                    if model == "ratelimit" { #expect(error.retryAfter == .seconds(7)) }
                    if model == "quota" { #expect(!error.isRetryable) }
                }
            }
        }
    }

    @Test func aWrongKeyIsAnAuthenticationError() async throws {
        try await withProvider(apiKey: "sk-wrong") { provider in
            await #expect { _ = try await provider.stream(request("gpt-4o-mini")) } throws: { ($0 as? ProviderError)?.code == .authentication }
        }
    }

    @Test(arguments: [("truncated", ProviderError.Code.malformedResponse), ("dies", .malformedResponse), ("midstream-error", .server)])
    func failuresMidStreamComeAfterTheTokensAlreadySent(model: String, code: ProviderError.Code) async throws {
        try await withProvider { provider in
            var deltas: [String] = []
            do {
                for try await event in try await provider.stream(request(model)) {
                    if case .delta(let text) = event { deltas.append(text) }
                }
                Issue.record("\(model) should fail mid-stream")
            } catch let error as ProviderError {
                #expect(error.code == code, "\(model): \(error)")
            }
            #expect(deltas.first == "Hel")
        }
    }

    @Test func aRefusedConnectionIsAServerError() async throws {
        await HTTPClient.withHTTPClient(logger: logger) { http in
            let provider = OpenAIProvider(configuration: .init(baseURL: "http://127.0.0.1:1/v1", apiKey: "x"), http: http)
            await #expect { _ = try await provider.stream(request("gpt-4o-mini")) } throws: { ($0 as? ProviderError)?.code == .server }
        }
    }
}
