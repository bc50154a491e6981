import Yams

/// Reads a routing policy from YAML, checking every field and collecting every problem with its
/// line, column and field path, so one round of fixes is enough.
public enum PolicyParser {
    static let kinds = ["openai", "anthropic", "gemini", "offline"]
    static let codes = [
        "rate_limited", "quota_exhausted", "overloaded", "server", "timeout", "authentication", "bad_request",
        "context_too_long", "content_filtered", "malformed_response",
    ]

    /// Parses and validates `text`.
    /// - Parameter rules: what the operator lets policies name (`env:` variables, private targets).
    /// - Throws: `PolicyValidationError` listing every problem.
    public static func parse(_ text: String, rules: Rules = Rules()) throws -> RoutingPolicy {
        if let problem = PolicyDocumentScan.problem(in: text) { throw PolicyValidationError(issues: [problem]) }
        var walker = Walker(rules: rules)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw PolicyValidationError(issues: [
                PolicyIssue(line: Self.line(of: error), column: 1, field: "(document)", message: "not valid YAML: \(error)")
            ])
        }
        var policy = RoutingPolicy.default
        guard let root else { return policy }
        guard let top = walker.mapping(root, "(document)") else { throw PolicyValidationError(issues: walker.issues) }
        var sawChains = false
        for (keyNode, value) in top {
            let key = keyNode.string ?? ""
            switch key {
            case "version":
                if let number = walker.int(value, key, in: 1...1) { policy.version = number }
            case "providers":
                policy.providers = [:]
                for (nameNode, body) in walker.mapping(value, key) ?? [] {
                    let name = nameNode.string ?? ""
                    if let provider = walker.provider(body, "providers.\(name)") { policy.providers[name] = provider }
                }
            case "chains":
                sawChains = true
                policy.chains = [:]
                for (taskNode, list) in walker.mapping(value, key) ?? [] {
                    let task = taskNode.string ?? ""
                    policy.chains[task] = (walker.sequence(list, "chains.\(task)") ?? []).enumerated().compactMap { index, entry in
                        walker.chainEntry(entry, "chains.\(task)[\(index)]")
                    }
                }
            case "fallback_on":
                policy.fallbackOn = (walker.sequence(value, key) ?? []).compactMap { walker.oneOf($0, key, codes) }
            case "retries":
                for (fieldNode, field) in walker.mapping(value, key) ?? [] {
                    switch fieldNode.string {
                    case "max_attempts": if let n = walker.int(field, "retries.max_attempts", in: 1...10) { policy.maxAttempts = n }
                    case "base_delay": if let d = walker.duration(field, "retries.base_delay") { policy.retryBaseDelay = d }
                    default: walker.unknown(fieldNode, "retries")
                    }
                }
            case "circuit_breaker":
                for (fieldNode, field) in walker.mapping(value, key) ?? [] {
                    switch fieldNode.string {
                    case "failure_threshold":
                        if let n = walker.int(field, "circuit_breaker.failure_threshold", in: 1...1000) { policy.circuitFailureThreshold = n }
                    case "cooldown": if let d = walker.duration(field, "circuit_breaker.cooldown") { policy.circuitCooldown = d }
                    default: walker.unknown(fieldNode, "circuit_breaker")
                    }
                }
            case "budgets":
                policy.budgets = walker.budgets(value, key) ?? policy.budgets
            case "rate_limits":
                for (fieldNode, field) in walker.mapping(value, key) ?? [] {
                    switch fieldNode.string {
                    case "tenant_per_minute": policy.tenantRequestsPerMinute = walker.int(field, "rate_limits.tenant_per_minute", in: 1...1_000_000)
                    case "user_per_minute": policy.userRequestsPerMinute = walker.int(field, "rate_limits.user_per_minute", in: 1...1_000_000)
                    default: walker.unknown(fieldNode, "rate_limits")
                    }
                }
            case "prices":
                policy.prices = (walker.sequence(value, key) ?? []).enumerated().compactMap { index, entry in
                    walker.price(entry, "prices[\(index)]")
                }
            case "channels":
                policy.channels = (walker.sequence(value, key) ?? []).compactMap { walker.channel($0, key) }
            case "platforms":
                policy.platforms = (walker.sequence(value, key) ?? []).compactMap { walker.string($0, key) }
            case "posts":
                for (fieldNode, field) in walker.mapping(value, key) ?? [] {
                    if fieldNode.string == "require_confirmation", let flag = walker.bool(field, "posts.require_confirmation") {
                        policy.postsNeedConfirmation = flag
                    } else if fieldNode.string != "require_confirmation" {
                        walker.unknown(fieldNode, "posts")
                    }
                }
            case "tools":
                for (fieldNode, field) in walker.mapping(value, key) ?? [] {
                    if fieldNode.string == "max_steps" {
                        if let n = walker.int(field, "tools.max_steps", in: 1...RoutingPolicy.toolStepsCeiling) { policy.toolMaxSteps = n }
                    } else {
                        walker.unknown(fieldNode, "tools")
                    }
                }
            default:
                walker.unknown(keyNode, "(document)")
            }
        }
        walker.crossCheck(policy, chainsGiven: sawChains, root: top)
        guard walker.issues.isEmpty else { throw PolicyValidationError(issues: walker.issues) }
        return policy
    }

    private static func line(of error: YamlError) -> Int {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return 1
        }
    }
}
