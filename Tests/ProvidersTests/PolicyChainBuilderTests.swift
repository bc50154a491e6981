import LeopostCore
import LeopostProviders
import LeopostTestSupport
import Testing

@Suite("Chains built from a tenant's policy")
struct PolicyChainBuilderTests {
    let logger = TestEnvironment.logger()

    @Test func entriesUseTheirProvidersAndMissingKeysFallToOffline() async throws {
        try await withTestHTTPServer(router: FakeOpenAI.router()) { port in
            try await HTTPClient.withHTTPClient(logger: logger) { http in
                let policy = try PolicyParser.parse(
                    """
                    providers:
                      main: {kind: openai, api_key: env:TENANT_OPENAI_KEY}
                      claude: {kind: anthropic}
                    chains:
                      chat:
                        - {provider: claude, model: claude-haiku-4-5}
                        - {provider: main, model: ratelimit}
                        - {provider: main, model: gpt-4o-mini}
                    retries: {max_attempts: 1, base_delay: 10ms}
                    """,
                    rules: .init(readableEnvironment: ["TENANT_OPENAI_KEY"])
                )
                let builder = PolicyChainBuilder(
                    http: http,
                    environment: [
                        "TENANT_OPENAI_KEY": "sk-test", "LEOPOST_POLICY_ENV_ALLOW": "TENANT_OPENAI_KEY",
                        "OPENAI_BASE_URL": "http://127.0.0.1:\(port)/v1",
                    ]
                )
                let (chain, skipped) = builder.chain(for: "chat", policy: policy)
                #expect(skipped == ["claude: ANTHROPIC_API_KEY is not set"])
                let request = ChatRequest(model: "", messages: [.init(role: .user, content: "hi")])
                let answer = try await chain.start(request)
                #expect(answer.attempts.map(\.failure) == [.rateLimited, nil])
                var text = ""
                for try await event in answer.events { if case .delta(let piece) = event { text += piece } }
                #expect(text == "Hello, world")

                let (offline, _) = PolicyChainBuilder(http: http, environment: [:]).chain(for: "draft", policy: policy)
                #expect(offline.entries.map(\.name) == ["offline"], "no usable key at all: the offline provider answers")
            }
        }
    }
}

@Suite("Policy chain builder: sealed secrets")
struct PolicyChainBuilderSecretTests {
    @Test func aSecretReferenceUsesTheTenantsOpenedSecretAndAMissingOneIsReported() throws {
        let policy = try PolicyParser.parse(
            """
            providers: {main: {kind: anthropic, api_key: "secret:anthropic-key"}, local: {kind: offline}}
            chains: {chat: [{provider: main, model: claude-haiku-4-5}, {provider: local, model: offline}]}
            """
        )
        #expect(policy.secretNames == ["anthropic-key"])
        let builder = PolicyChainBuilder(http: HTTPClient(logger: TestEnvironment.logger()), environment: [:])
        let with = builder.chain(for: "chat", policy: policy, secrets: ["anthropic-key": "sk-ant-test"])
        #expect(with.chain.entries.map(\.provider.kind) == ["anthropic", "offline"])
        #expect(with.skipped.isEmpty)
        let without = builder.chain(for: "chat", policy: policy)
        #expect(without.chain.entries.map(\.provider.kind) == ["offline"])
        #expect(without.skipped.first?.contains("the secret anthropic-key is not stored") == true)
    }
}
