public import LeopostCore

/// Turns a tenant's policy into the `ProviderChain` for one task: each entry's provider kind
/// becomes its adapter, credentials are resolved from their references, and the policy's retry,
/// fallback and circuit settings apply.
///
/// An entry whose key is missing (its environment variable is unset) is left out rather than
/// failing every call; when no entry is left, the chain is the offline provider, so a tenant with
/// no working key still gets an answer that says plainly it is offline.
public struct PolicyChainBuilder: Sendable {
    private let http: HTTPClient
    private let environment: [String: String]
    private let breaker: CircuitBreaker?

    /// Creates a builder.
    /// - Parameters:
    ///   - environment: where `env:` references and the `*_BASE_URL` overrides are read.
    public init(http: HTTPClient, environment: [String: String], breaker: CircuitBreaker? = nil) {
        self.http = http
        self.environment = environment
        self.breaker = breaker
    }

    /// The chain for `task` (`chat` when the policy has no chain for it), and the entries left out with why.
    /// - Parameter secrets: the tenant's opened secrets, for `secret:NAME` credentials.
    public func chain(for task: String, policy: RoutingPolicy, secrets: [String: String] = [:]) -> (chain: ProviderChain, skipped: [String]) {
        var entries: [ProviderChain.Entry] = []
        var skipped: [String] = []
        for entry in policy.chains[task] ?? policy.chains["chat"] ?? [] {
            guard let provider = policy.providers[entry.provider] else { continue }
            switch adapter(for: provider, secrets: secrets) {
            case .success(let adapter):
                entries.append(
                    ProviderChain.Entry(
                        name: "\(provider.kind):\(provider.baseURL ?? "default")", provider: adapter, model: entry.model,
                        maxTokens: entry.maxTokens, firstTokenTimeout: provider.firstTokenTimeout
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
            breaker: breaker?.configured(.init(failureThreshold: policy.circuitFailureThreshold, cooldown: policy.circuitCooldown))
        )
        return (chain, skipped)
    }

    struct Unavailable: Error {
        let message: String
    }

    private func adapter(for provider: RoutingPolicy.Provider, secrets: [String: String]) -> Result<any AIProvider, Unavailable> {
        let defaults: (key: String, url: String, base: String)
        switch provider.kind {
        case "offline": return .success(OfflineProvider())
        case "openai": defaults = ("OPENAI_API_KEY", "OPENAI_BASE_URL", OpenAIProvider.defaultBaseURL)
        case "anthropic": defaults = ("ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", AnthropicProvider.defaultBaseURL)
        case "gemini": defaults = ("GEMINI_API_KEY", "GEMINI_BASE_URL", GeminiProvider.defaultBaseURL)
        default: return .failure(Unavailable(message: "unknown provider kind \(provider.kind)"))
        }
        let reference = provider.credential ?? "env:\(defaults.key)"
        let key: String?
        let missing: String
        if reference.hasPrefix("secret:") {
            let name = String(reference.dropFirst(7))
            key = secrets[name].flatMap { $0.isEmpty ? nil : $0 }
            missing = "the secret \(name) is not stored for this tenant (leopost secret set, or PUT /v1/secrets/\(name))"
        } else {
            let variable = String(reference.dropFirst(4))
            key = environment[variable].flatMap { $0.isEmpty ? nil : $0 }
            missing = "\(variable) is not set"
        }
        // OpenAI-compatible local servers may need no key; the others always do.
        if key == nil, provider.kind != "openai" || provider.baseURL == nil {
            return .failure(Unavailable(message: missing))
        }
        let endpoint = ProviderEndpoint(
            baseURL: provider.baseURL ?? environment[defaults.url] ?? defaults.base, apiKey: key,
            firstByteTimeout: provider.firstByteTimeout, totalTimeout: provider.totalTimeout
        )
        switch provider.kind {
        case "anthropic": return .success(AnthropicProvider(configuration: endpoint, http: http))
        case "gemini": return .success(GeminiProvider(configuration: endpoint, http: http))
        default: return .success(OpenAIProvider(configuration: endpoint, http: http))
        }
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
