public import LeopostCore

/// Turns a tenant's policy into the `ProviderChain` for one task: each entry's provider kind
/// becomes its adapter, credentials are resolved from their references, and the policy's retry,
/// fallback and circuit settings apply.
///
/// An entry whose key is missing (its environment variable is unset, or it may not have the
/// operator's) is left out rather than failing every call; when no entry is left, the chain is the offline provider, so a tenant with
/// no working key still gets an answer that says plainly it is offline.
public struct PolicyChainBuilder: Sendable {
    private let http: HTTPClient
    private let environment: [String: String]
    private let readableByPolicies: Set<String>
    private let breaker: CircuitBreaker?

    /// Creates a builder.
    /// - Parameters:
    ///   - environment: the operator's: the providers' `*_API_KEY` and `*_BASE_URL`, and the
    ///     variables `LEOPOST_POLICY_ENV_ALLOW` lets policies name with `env:`.
    ///   - breaker: the shared circuits of the operator's endpoints, with the operator's settings.
    public init(http: HTTPClient, environment: [String: String], breaker: CircuitBreaker? = nil) {
        self.http = http
        self.environment = environment
        self.readableByPolicies = PolicyParser.Rules(environment: environment).readableEnvironment
        self.breaker = breaker
    }

    /// The chain for `task` (`chat` when the policy has no chain for it), and the entries left out with why.
    /// - Parameters:
    ///   - secrets: the tenant's opened secrets, for `secret:NAME` credentials.
    ///   - tenant: whose policy it is: the circuits of endpoints the policy defines are this tenant's own.
    public func chain(
        for task: String, policy: RoutingPolicy, secrets: [String: String] = [:], tenant: String = "-"
    ) -> (chain: ProviderChain, skipped: [String]) {
        var entries: [ProviderChain.Entry] = []
        var skipped: [String] = []
        let own = breaker?.configured(.init(failureThreshold: policy.circuitFailureThreshold, cooldown: policy.circuitCooldown))
        for entry in policy.chains[task] ?? policy.chains["chat"] ?? [] {
            guard let provider = policy.providers[entry.provider] else { continue }
            switch adapter(for: provider, named: entry.provider, secrets: secrets) {
            case .success(let made):
                let name = "\(provider.kind):\(provider.baseURL ?? "default")"
                entries.append(
                    ProviderChain.Entry(
                        name: name, provider: made.adapter, model: entry.model, maxTokens: entry.maxTokens,
                        firstTokenTimeout: provider.firstTokenTimeout,
                        circuit: made.operatorEndpoint ? "\(provider.kind):\(made.url)" : "tenant:\(tenant):\(provider.kind):\(made.url)",
                        breaker: made.operatorEndpoint ? nil : own,
                        countsTimeouts: !made.operatorEndpoint || Self.usesOperatorTimeouts(provider),
                        acceptsImages: entry.images
                    )
                )
            case .failure(let reason):
                skipped.append("\(entry.provider): \(reason.message)")
            }
        }
        if entries.isEmpty { entries = [ProviderChain.Entry(name: "offline", provider: OfflineProvider(), model: "offline")] }
        let chain = ProviderChain(
            entries: entries,
            retry: RetryPolicy(maxAttempts: policy.maxAttempts, baseDelay: policy.retryBaseDelay, maxDelay: .seconds(10)),
            fallbackOn: Set(policy.fallbackOn.compactMap(Self.code)),
            breaker: breaker
        )
        return (chain, skipped)
    }

    struct Unavailable: Error {
        let message: String
    }

    /// A timeout is the provider's fault only when the tenant did not wait less than the operator would.
    static func usesOperatorTimeouts(_ provider: RoutingPolicy.Provider) -> Bool {
        let defaults = RoutingPolicy.Provider.defaultTimeouts
        return provider.firstByteTimeout >= defaults.firstByte && provider.totalTimeout >= defaults.total
            && provider.firstTokenTimeout >= defaults.firstToken
    }

    /// The adapter for one provider of the policy, with its key and whether its endpoint is the operator's.
    ///
    /// The operator's keys (`*_API_KEY`, or an `env:` variable the operator allow-listed) go only
    /// to the operator's endpoint: the provider's default address or the `*_BASE_URL` the operator
    /// set. A `base_url` the tenant wrote gets only the tenant's own `secret:` key, and every call
    /// to it passes the egress guard.
    private func adapter(
        for provider: RoutingPolicy.Provider, named name: String, secrets: [String: String]
    ) -> Result<(adapter: any AIProvider, operatorEndpoint: Bool, url: String), Unavailable> {
        let defaults: (key: String, url: String, base: String)
        switch provider.kind {
        case "offline": return .success((OfflineProvider(), true, "offline"))
        case "openai": defaults = ("OPENAI_API_KEY", "OPENAI_BASE_URL", OpenAIProvider.defaultBaseURL)
        case "anthropic": defaults = ("ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", AnthropicProvider.defaultBaseURL)
        case "gemini": defaults = ("GEMINI_API_KEY", "GEMINI_BASE_URL", GeminiProvider.defaultBaseURL)
        default: return .failure(Unavailable(message: "unknown provider kind \(provider.kind)"))
        }
        let operatorURL = environment[defaults.url].flatMap { $0.isEmpty ? nil : $0 } ?? defaults.base
        let isOperatorEndpoint = provider.baseURL.map { Self.sameURL($0, operatorURL) } ?? true
        let key: String?
        let missing: String
        switch provider.credential {
        case let reference? where reference.hasPrefix("secret:"):
            let secret = String(reference.dropFirst(7))
            key = secrets[secret].flatMap { $0.isEmpty ? nil : $0 }
            missing = "the secret \(secret) is not stored for this tenant (leopost secret set, or PUT /v1/secrets/\(secret))"
        case let reference?:
            let variable = String(reference.dropFirst(4))
            guard readableByPolicies.contains(variable) else {
                return .failure(
                    Unavailable(message: "env:\(variable) is not readable by policies (the operator lists those in LEOPOST_POLICY_ENV_ALLOW)"))
            }
            guard isOperatorEndpoint else {
                return .failure(
                    Unavailable(
                        message:
                            "env:\(variable) is the operator's key and goes only to the operator's endpoint; give your own base_url api_key: secret:NAME"
                    ))
            }
            key = environment[variable].flatMap { $0.isEmpty ? nil : $0 }
            missing = "\(variable) is not set"
        case nil where isOperatorEndpoint:
            key = environment[defaults.key].flatMap { $0.isEmpty ? nil : $0 }
            missing = "\(defaults.key) is not set"
        case nil:
            // A tenant's own server gets no key of the operator's. OpenAI-compatible local servers may need none.
            key = nil
            missing = "providers.\(name) has its own base_url; give it api_key: secret:NAME (the operator's key goes only to the operator's endpoint)"
        }
        if key == nil, provider.kind != "openai" || isOperatorEndpoint {
            return .failure(Unavailable(message: missing))
        }
        let endpoint = ProviderEndpoint(
            baseURL: provider.baseURL ?? operatorURL, apiKey: key,
            firstByteTimeout: provider.firstByteTimeout, totalTimeout: provider.totalTimeout,
            egress: isOperatorEndpoint ? .operatorEndpoint : .tenant(field: "providers.\(name).base_url")
        )
        let adapter: any AIProvider
        switch provider.kind {
        case "anthropic": adapter = AnthropicProvider(configuration: endpoint, http: http)
        case "gemini": adapter = GeminiProvider(configuration: endpoint, http: http)
        default: adapter = OpenAIProvider(configuration: endpoint, http: http)
        }
        return .success((adapter, isOperatorEndpoint, endpoint.baseURL))
    }

    /// Two base URLs name one endpoint when they differ at most by a trailing slash and the case of scheme and host.
    static func sameURL(_ a: String, _ b: String) -> Bool {
        func normal(_ url: String) -> String { (url.hasSuffix("/") ? String(url.dropLast()) : url).lowercased() }
        return normal(a) == normal(b)
    }

    /// The policy's snake-case failure names, as `ProviderError` codes.
    static func code(_ name: String) -> ProviderError.Code? {
        switch name {
        case "rate_limited": .rateLimited
        case "quota_exhausted": .quotaExhausted
        case "overloaded": .overloaded
        case "server": .server
        case "timeout": .timeout
        case "authentication": .authentication
        case "bad_request": .badRequest
        case "context_too_long": .contextTooLong
        case "content_filtered": .contentFiltered
        case "malformed_response": .malformedResponse
        default: nil
        }
    }
}
