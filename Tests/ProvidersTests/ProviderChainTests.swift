import LeopostCore
import LeopostProviders
import LeopostTestSupport
import Testing

@Suite("Provider chain: retries, fallback before the first token, circuit breaking")
struct ProviderChainTests {
    let logger = TestEnvironment.logger()
    let request = ChatRequest(model: "", messages: [.init(role: .system, content: "Brand: Acme"), .init(role: .user, content: "hi")], maxTokens: 64)

    func withOpenAI(_ body: @Sendable (OpenAIProvider) async throws -> Void) async throws {
        try await withTestHTTPServer(router: FakeOpenAI.router()) { port in
            try await HTTPClient.withHTTPClient(logger: logger) { http in
                try await body(OpenAIProvider(configuration: .init(baseURL: "http://127.0.0.1:\(port)/v1", apiKey: "sk-test"), http: http))
            }
        }
    }

    @Test func aRateLimitedPrimaryFallsBackAndTheAttemptsSayWhy() async throws {
        try await withOpenAI { openai in
            let chain = ProviderChain(
                entries: [
                    .init(name: "openai", provider: openai, model: "ratelimit"),
                    .init(name: "offline", provider: OfflineProvider(), model: "offline"),
                ],
                retry: RetryPolicy(maxAttempts: 1)
            )
            let answer = try await chain.start(request)
            #expect(answer.attempts.map(\.entry) == ["openai", "offline"])
            #expect(answer.attempts.map(\.failure) == [.rateLimited, nil])
            var text = ""
            for try await event in answer.events { if case .delta(let piece) = event { text += piece } }
            #expect(text.contains("Offline"))
        }
    }

    @Test func afterTheFirstTokenAFailureEndsTheAnswerWithoutFallback() async throws {
        try await withOpenAI { openai in
            let chain = ProviderChain(entries: [
                .init(name: "openai", provider: openai, model: "dies"), .init(name: "offline", provider: OfflineProvider(), model: "offline"),
            ])
            let answer = try await chain.start(request)
            #expect(answer.attempts.map(\.entry) == ["openai"])
            var text = ""
            await #expect { for try await event in answer.events { if case .delta(let piece) = event { text += piece } } } throws: {
                ($0 as? ProviderError)?.code == .malformedResponse
            }
            #expect(text == "Hello")
        }
    }

    @Test func badRequestsDoNotFallBackAndContextTooLongDoesNotHurtTheCircuit() async throws {
        try await withTestRedis(logger: logger) { (redis) async throws in
            let breaker = CircuitBreaker(redis: redis, configuration: .init(failureThreshold: 1, cooldown: .seconds(60)))
            let name = TestEnvironment.uniqueName("openai")
            try await withOpenAI { openai in
                let contextChain = ProviderChain(
                    entries: [
                        .init(name: name, provider: openai, model: "context"), .init(name: "offline", provider: OfflineProvider(), model: "offline"),
                    ],
                    breaker: breaker
                )
                let answer = try await contextChain.start(request)
                #expect(answer.attempts.map(\.failure) == [.contextTooLong, nil])
                #expect(try await breaker.state(name) == "closed")

                let quota = ProviderChain(entries: [.init(name: name + "-q", provider: openai, model: "quota")], breaker: breaker)
                await #expect { _ = try await quota.start(request) } throws: { ($0 as? ProviderError)?.code == .quotaExhausted }
                // One server-side failure opens a threshold-1 circuit; the next call skips the entry at once.
                #expect(try await breaker.state(name + "-q") == "open")
                let skipping = ProviderChain(
                    entries: [
                        .init(name: name + "-q", provider: openai, model: "gpt-4o-mini"),
                        .init(name: "offline", provider: OfflineProvider(), model: "offline"),
                    ],
                    breaker: breaker
                )
                let skipped = try await skipping.start(request)
                #expect(skipped.attempts.map(\.entry) == [name + "-q", "offline"])
            }
        }
    }

    @Test func retryableErrorsAreRetriedOnTheSameEntryFirst() async throws {
        try await withOpenAI { openai in
            let chain = ProviderChain(
                entries: [.init(name: "openai", provider: openai, model: "html")],
                retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10))
            )
            do {
                _ = try await chain.start(request)
                Issue.record("every attempt fails")
            } catch let error as ProviderError {
                #expect(error.code == .server)
            }
        }
    }
}

@Suite("Provider chain: a first token that does not come")
struct ProviderChainFirstTokenTests {
    @Test func aSlowFirstTokenPastTheTimeoutFallsBack() async throws {
        let logger = TestEnvironment.logger()
        try await withTestHTTPServer(router: FakeOpenAI.router()) { port in
            try await HTTPClient.withHTTPClient(logger: logger) { http in
                let openai = OpenAIProvider(configuration: .init(baseURL: "http://127.0.0.1:\(port)/v1", apiKey: "sk-test"), http: http)
                let chain = ProviderChain(
                    entries: [
                        .init(name: "openai-slow", provider: openai, model: "slow-first-token", firstTokenTimeout: .milliseconds(300)),
                        .init(name: "offline", provider: OfflineProvider(), model: "offline"),
                    ],
                    retry: RetryPolicy(maxAttempts: 1)
                )
                // The fake stalls for 8 s after its headers; the 300 ms first-token limit moves on long before that.
                let answer = try await chain.start(ChatRequest(model: "", messages: [.init(role: .user, content: "hi")]))
                #expect(answer.attempts.map(\.failure) == [.timeout, nil])
                #expect(answer.attempts.map(\.entry) == ["openai-slow", "offline"])
            }
        }
    }

    @Test func thePolicysFirstTokenTimeoutReachesTheChain() throws {
        let policy = try PolicyParser.parse(
            """
            providers: {main: {kind: openai, base_url: "http://127.0.0.1:9/v1", first_token_timeout: 750ms}}
            chains: {chat: [{provider: main, model: m, max_tokens: 77}]}
            """,
            rules: TestEnvironment.policyRules()
        )
        let chain = PolicyChainBuilder(http: HTTPClient(logger: TestEnvironment.logger()), environment: [:]).chain(for: "chat", policy: policy).chain
        #expect(chain.entries.first?.firstTokenTimeout == .milliseconds(750))
        #expect(chain.entries.first?.maxTokens == 77)
    }
}
