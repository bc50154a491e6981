import LeopostCore
import LeopostProviders
import LeopostTestSupport
import Testing

/// A hostile tenant's policy against the operator's secrets, network and shared circuits.
@Suite("Tenant policies cannot reach the operator's keys, network or circuits")
struct TenantCredentialTests {
    let logger = TestEnvironment.logger()
    let request = ChatRequest(model: "", messages: [.init(role: .user, content: "hi")])

    @Test func envReferencesToLeopostSettingsOrUnlistedVariablesAreRefusedNamingTheLine() throws {
        let rules = PolicyParser.Rules(environment: ["LEOPOST_POLICY_ENV_ALLOW": "SHARED_KEY, LEOPOST_MASTER_KEY"])
        #expect(rules.readableEnvironment == ["SHARED_KEY"], "LEOPOST_* is never readable, even when listed")
        for variable in ["LEOPOST_JWT_SECRET", "LEOPOST_MASTER_KEY", "LEOPOST_DATABASE_URL", "HOME", "OPENAI_API_KEY"] {
            let text = "providers:\n  main:\n    kind: openai\n    api_key: env:\(variable)\nchains: {chat: [{provider: main, model: m}]}\n"
            #expect {
                try PolicyParser.parse(text, rules: rules)
            } throws: { error in
                guard let issue = (error as? PolicyValidationError)?.issues.first else { return false }
                return issue.line == 4 && issue.field == "providers.main.api_key" && issue.message.contains("env:\(variable)")
            }
        }
        let allowed = try PolicyParser.parse(
            "providers: {main: {kind: openai, api_key: env:SHARED_KEY}}\nchains: {chat: [{provider: main, model: m}]}\n", rules: rules)
        #expect(allowed.providers["main"]?.credential == "env:SHARED_KEY")
    }

    @Test func theOperatorsKeyIsNeverSentToABaseURLTheTenantWrote() async throws {
        let recorder = RequestRecorder()
        try await withTestHTTPServer(router: recorder.router()) { port in
            try await HTTPClient.withHTTPClient(configuration: TestEnvironment.httpConfiguration(), logger: logger) { http in
                let environment = [
                    "OPENAI_API_KEY": "sk-operator", "ANTHROPIC_API_KEY": "sk-ant-operator", "GEMINI_API_KEY": "g-operator",
                    "LEOPOST_POLICY_ENV_ALLOW": "OPENAI_API_KEY",
                ]
                let policy = try PolicyParser.parse(
                    """
                    providers:
                      mine: {kind: openai, base_url: "http://127.0.0.1:\(port)/v1"}
                      claude: {kind: anthropic, base_url: "http://127.0.0.1:\(port)"}
                      borrowed: {kind: openai, base_url: "http://127.0.0.1:\(port)/v2", api_key: env:OPENAI_API_KEY}
                    chains:
                      chat: [{provider: claude, model: c}, {provider: borrowed, model: b}, {provider: mine, model: m}]
                    fallback_on: [authentication]
                    """,
                    rules: PolicyParser.Rules(environment: environment, egress: TestEnvironment.egress())
                )
                let (chain, skipped) = PolicyChainBuilder(http: http, environment: environment).chain(for: "chat", policy: policy)
                #expect(skipped.count == 2)
                #expect(skipped.contains { $0.hasPrefix("claude:") && $0.contains("secret:NAME") })
                #expect(skipped.contains { $0.hasPrefix("borrowed:") && $0.contains("operator's key") })
                await #expect(throws: ProviderError.self) { _ = try await chain.start(request) }
                let seen = recorder.seen
                #expect(seen.count == 1, "only the OpenAI-compatible server without a key is called")
                #expect(seen.allSatisfy { $0.headers["authorization"] == nil && $0.headers["x-api-key"] == nil })
            }
        }
    }

    @Test func aBaseURLOnThisMachineIsRefusedAndTheServerThereSeesNothing() async throws {
        let recorder = RequestRecorder()
        try await withTestHTTPServer(router: recorder.router()) { port in
            // The operator allowed nothing: this is production's default.
            try await HTTPClient.withHTTPClient(logger: logger) { http in
                for host in ["127.0.0.1", "localhost", "[::ffff:127.0.0.1]"] {
                    let url = "http://\(host):\(port)/v1"
                    // Stored before the operator's rules changed, or a name: the call is judged when it is made.
                    let policy = try PolicyParser.parse(
                        "providers: {mine: {kind: openai, base_url: \"\(url)\"}}\nchains: {chat: [{provider: mine, model: m}]}\n",
                        rules: TestEnvironment.policyRules())
                    let (chain, _) = PolicyChainBuilder(http: http, environment: [:]).chain(for: "chat", policy: policy)
                    await #expect {
                        _ = try await chain.start(request)
                    } throws: { error in
                        let error = error as? ProviderError
                        return error?.code == .badRequest && error?.message.contains("is a private address (loopback)") == true
                            && error?.message.contains("providers.mine.base_url") == true
                    }
                }
            }
            #expect(recorder.seen.isEmpty, "no request, no header reached the server")
        }
    }

    @Test func literalPrivateBaseURLsAreRefusedWhenThePolicyIsStored() throws {
        let chains = "chains: {chat: [{provider: p, model: m}]}\n"
        for url in [
            "http://127.0.0.1:6379", "http://169.254.169.254/latest", "http://10.1.2.3", "http://[fd00::1]:80", "http://[::ffff:192.168.0.1]",
        ] {
            #expect {
                try PolicyParser.parse("providers: {p: {kind: openai, base_url: \"\(url)\"}}\n" + chains)
            } throws: { error in
                let issue = (error as? PolicyValidationError)?.issues.first
                return issue?.field == "providers.p.base_url" && issue?.message.hasPrefix("base_url ") == true
            }
        }
        let stored = try PolicyParser.parse("providers: {p: {kind: openai, base_url: \"https://models.example.com/v1\"}}\n" + chains)
        #expect(stored.providers["p"]?.baseURL == "https://models.example.com/v1")
    }

    @Test func oneTenantsBreakerSettingsDoNotRefuseAnotherTenant() async throws {
        try await withTestRedis(logger: logger) { (redis) async throws in
            try await withTestHTTPServer(router: FakeOpenAI.router()) { port in
                try await withTestHTTPServer(router: FakeOpenAI.router()) { tenantPort in
                    try await HTTPClient.withHTTPClient(configuration: TestEnvironment.httpConfiguration(), logger: logger) { http in
                        let operatorURL = "http://127.0.0.1:\(port)/v1"
                        let environment = ["OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": operatorURL]
                        // The shared circuit of the operator's endpoint keeps the operator's own settings.
                        let shared = CircuitBreaker(redis: redis, configuration: .init(failureThreshold: 5, cooldown: .seconds(60)))
                        let builder = PolicyChainBuilder(http: http, environment: environment, breaker: shared)
                        let hostile = try PolicyParser.parse(
                            """
                            providers: {main: {kind: openai, first_token_timeout: 50ms}}
                            chains: {chat: [{provider: main, model: slow-first-token}]}
                            circuit_breaker: {failure_threshold: 1, cooldown: 1m}
                            retries: {max_attempts: 1}
                            """)
                        let a = TestEnvironment.uniqueName("tenant-a")
                        for _ in 0..<3 {
                            await #expect(throws: ProviderError.self) {
                                _ = try await builder.chain(for: "chat", policy: hostile, tenant: a).chain.start(request)
                            }
                        }
                        let sharedName = "openai:\(operatorURL)"
                        #expect(try await shared.state(sharedName) == "closed", "a timeout the tenant set does not count against the shared circuit")

                        let ordinary = try PolicyParser.parse(
                            "providers: {main: {kind: openai}}\nchains: {chat: [{provider: main, model: gpt-4o-mini}]}\n")
                        let b = TestEnvironment.uniqueName("tenant-b")
                        let answer = try await builder.chain(for: "chat", policy: ordinary, tenant: b).chain.start(request)
                        #expect(answer.attempts.last?.failure == nil)

                        // The tenant's own endpoint: its own circuit, opened by its own settings, for it alone.
                        let ownURL = "http://127.0.0.1:\(tenantPort)/v1"
                        let own = try PolicyParser.parse(
                            """
                            providers: {mine: {kind: openai, base_url: "\(ownURL)", api_key: secret:k}}
                            chains: {chat: [{provider: mine, model: html}]}
                            circuit_breaker: {failure_threshold: 1, cooldown: 1m}
                            retries: {max_attempts: 1}
                            """, rules: TestEnvironment.policyRules())
                        await #expect(throws: ProviderError.self) {
                            _ = try await builder.chain(for: "chat", policy: own, secrets: ["k": "sk-test"], tenant: a).chain.start(request)
                        }
                        #expect(try await shared.state("tenant:\(a):openai:\(ownURL)") == "open")
                        let sameURL = own
                        let other = try await builder.chain(for: "chat", policy: sameURL, secrets: ["k": "sk-test"], tenant: b).chain
                        #expect(other.entries.first?.circuit == "tenant:\(b):openai:\(ownURL)")
                        #expect(try await shared.state(other.entries[0].circuit) == "closed", "tenant B's circuit for the same URL is its own")
                    }
                }
            }
        }
    }
}
