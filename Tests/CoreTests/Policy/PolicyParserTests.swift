import LeopostCore
import Testing

@Suite("Routing policy: parsing and validation")
struct PolicyParserTests {
    /// The operator lets policies name `OPENAI_API_KEY` (`LEOPOST_POLICY_ENV_ALLOW`), as the complete policy does.
    static let rules = PolicyParser.Rules(readableEnvironment: ["OPENAI_API_KEY"])
    static let complete = """
        version: 1
        providers:
          main:
            kind: openai
            api_key: env:OPENAI_API_KEY
            first_byte_timeout: 20s
            first_token_timeout: 8s
          backup:
            kind: anthropic
            base_url: https://api.anthropic.com
            api_key: secret:anthropic
        chains:
          chat:
            - provider: main
              model: gpt-4o-mini
            - provider: backup
              model: claude-haiku-4-5
              max_tokens: 512
          cheap:
            - provider: main
              model: gpt-4.1-nano
        fallback_on: [rate_limited, overloaded, context_too_long]
        retries: {max_attempts: 3, base_delay: 250ms}
        circuit_breaker: {failure_threshold: 4, cooldown: 1m}
        budgets:
          daily_usd: 5
          monthly_usd: 100
          per_message_usd: 0.25
          when_exhausted: downgrade
          downgrade_chain: cheap
        rate_limits: {tenant_per_minute: 600, user_per_minute: 30}
        channels: [web, telegram]
        platforms: [mastodon]
        posts: {require_confirmation: false}
        prices:
          - {provider: openai, model: gpt-4o-mini, input_per_million: 0.1, output_per_million: 0.5}
          - {provider: anthropic, model: claude-haiku-4-5, input_per_million: 0.8, output_per_million: 4, cache_read_per_million: 0.08}
        """

    @Test func aCompletePolicyParses() throws {
        let policy = try PolicyParser.parse(Self.complete, rules: Self.rules)
        #expect(policy.providers["main"]?.kind == "openai")
        #expect(policy.providers["main"]?.firstByteTimeout == .seconds(20))
        #expect(policy.providers["backup"]?.credential == "secret:anthropic")
        #expect(policy.chains["chat"]?.map(\.model) == ["gpt-4o-mini", "claude-haiku-4-5"])
        #expect(policy.chains["chat"]?.last?.maxTokens == 512)
        #expect(policy.maxAttempts == 3 && policy.retryBaseDelay == .milliseconds(250))
        #expect(policy.circuitCooldown == .seconds(60))
        #expect(policy.budgets.whenExhausted == .downgrade(chain: "cheap"))
        #expect(policy.budgets.perMessageUSD == 0.25)
        #expect(policy.userRequestsPerMinute == 30)
        #expect(policy.channels == ["web", "telegram"] && policy.postsNeedConfirmation == false)
        #expect(policy.providers["main"]?.firstTokenTimeout == .seconds(8))
        #expect(policy.providers["backup"]?.firstTokenTimeout == .seconds(30))
    }

    @Test func policyPricesOverrideTheShippedTable() throws {
        let table = try PolicyParser.parse(Self.complete, rules: Self.rules).priceTable
        let mini = try #require(table.price(provider: "openai", model: "gpt-4o-mini-2024-07-18", on: "2026-01-01"))
        #expect(mini.inputPerToken == 100 && mini.outputPerToken == 500 && mini.cacheReadPerToken == 100)
        #expect(table.price(provider: "anthropic", model: "claude-haiku-4-5", on: "2026-01-01")?.cacheReadPerToken == 80)
        // Models the policy does not name keep the shipped price.
        #expect(
            table.price(provider: "openai", model: "gpt-4o", on: "2026-01-01")
                == PriceTable.shipped.price(provider: "openai", model: "gpt-4o", on: "2026-01-01"))
        #expect(table.version.hasSuffix("+policy"))
    }

    @Test func aPriceWithoutItsAmountsIsRefused() {
        #expect { try PolicyParser.parse("prices: [{provider: openai, model: x, input_per_million: -1}]") } throws: { error in
            let fields = (error as? PolicyValidationError)?.issues.map(\.field) ?? []
            return fields.contains("prices[0].input_per_million") && fields.contains("prices[0].output_per_million")
        }
    }

    @Test func anEmptyDocumentIsTheDefaultPolicy() throws {
        #expect(try PolicyParser.parse("") == .default)
        #expect(try PolicyParser.parse("# nothing configured\n") == .default)
    }

    @Test func everyProblemIsReportedWithItsLineAndField() {
        let text = """
            providers:
              main:
                kind: openia
                api_key: sk-live-1234567890
            chains:
              chat:
                - provider: missing
                  model: gpt-4o
            retries: {max_attempts: 0, base_delay: soon}
            budgets: {when_exhausted: downgrade, downgrade_chain: nope}
            colour: blue
            """
        do {
            _ = try PolicyParser.parse(text)
            Issue.record("the policy has errors")
        } catch let error as PolicyValidationError {
            let found = error.issues.map { "\($0.line) \($0.field)" }
            #expect(found.contains("3 providers.main.kind"), "\(found)")
            #expect(found.contains("4 providers.main.api_key"))
            #expect(found.contains("9 retries.max_attempts"))
            #expect(found.contains("9 retries.base_delay"))
            #expect(found.contains("11 colour"))
            #expect(found.contains("7 chains.chat[0].provider"))
            #expect(found.contains("10 budgets.downgrade_chain"))
            #expect(!error.description.contains("sk-live"), "a key written into the policy is never echoed back")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func malformedYAMLIsRefusedWithItsLine() {
        #expect { try PolicyParser.parse("providers:\n  main: [unclosed\n") } throws: { error in
            guard let issues = (error as? PolicyValidationError)?.issues else { return false }
            return issues.count == 1 && issues[0].message.hasPrefix("not valid YAML")
        }
        #expect { try PolicyParser.parse("- just\n- a list\n") } throws: { ($0 as? PolicyValidationError)?.issues.first?.field == "(document)" }
    }
}

@Suite("Routing policy: rendering and storage")
struct PolicyRenderingAndStoreTests {
    @Test func theEffectivePolicyRoundTripsThroughYAML() throws {
        for policy in [try PolicyParser.parse(PolicyParserTests.complete, rules: PolicyParserTests.rules), RoutingPolicy.default] {
            let yaml = PolicyRenderer.yaml(policy)
            #expect(try PolicyParser.parse(yaml, rules: PolicyParserTests.rules) == policy, "\(yaml)")
        }
    }
}

@Suite("Routing policy: channel names come from the deployment")
struct PolicyChannelNamesTests {
    @Test func theDeploymentsChannelKindsAreTheOnesAPolicyMayName() throws {
        let rules = PolicyParser.Rules(channelKinds: ["web", "pigeon"])
        #expect(try PolicyParser.parse("channels: [web, pigeon]\n", rules: rules).channels == ["web", "pigeon"])
        #expect {
            try PolicyParser.parse("channels: [telegram]\n", rules: rules)
        } throws: { error in
            (error as? PolicyValidationError)?.issues.first?.message == "expected one of pigeon, web"
        }
        // Without the adapters (a tool that only checks files), any well-formed name passes.
        #expect(try PolicyParser.parse("channels: [email, pigeon]\n").channels == ["email", "pigeon"])
        #expect(throws: PolicyValidationError.self) { try PolicyParser.parse("channels: [\"Not A Channel!\"]\n") }
    }
}
