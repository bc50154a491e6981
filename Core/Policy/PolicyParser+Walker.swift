import Yams

extension PolicyParser {
    /// Reads typed values out of YAML nodes, recording an issue (with the node's position) for
    /// every value that does not fit, and carrying on so all problems are reported at once.
    struct Walker {
        var issues: [PolicyIssue] = []
        var rules = Rules()

        mutating func issue(_ node: Node?, _ field: String, _ message: String) {
            issues.append(PolicyIssue(line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1, field: field, message: message))
        }

        mutating func mapping(_ node: Node, _ field: String) -> [(Node, Node)]? {
            guard let mapping = node.mapping else {
                issue(node, field, "expected a mapping of `name: value` lines")
                return nil
            }
            return mapping.map { ($0.key, $0.value) }
        }

        mutating func sequence(_ node: Node, _ field: String) -> [Node]? {
            guard let sequence = node.sequence else {
                issue(node, field, "expected a list (`- item` lines or `[a, b]`)")
                return nil
            }
            return Array(sequence)
        }

        mutating func string(_ node: Node, _ field: String) -> String? {
            guard let text = node.scalar?.string, !text.isEmpty else {
                issue(node, field, "expected a non-empty text value")
                return nil
            }
            return text
        }

        mutating func int(_ node: Node, _ field: String, in range: ClosedRange<Int>) -> Int? {
            guard let text = node.scalar?.string, let value = Int(text), range.contains(value) else {
                issue(node, field, "expected a whole number from \(range.lowerBound) to \(range.upperBound)")
                return nil
            }
            return value
        }

        mutating func usd(_ node: Node, _ field: String) -> Double? {
            guard let text = node.scalar?.string, let value = Double(text), value >= 0, value <= 1_000_000 else {
                issue(node, field, "expected an amount in US dollars, e.g. 5 or 0.25")
                return nil
            }
            return value
        }

        mutating func bool(_ node: Node, _ field: String) -> Bool? {
            switch node.scalar?.string {
            case "true", "yes": return true
            case "false", "no": return false
            default:
                issue(node, field, "expected true or false")
                return nil
            }
        }

        /// `250ms`, `30s`, `2m`.
        mutating func duration(_ node: Node, _ field: String) -> Duration? {
            let text = node.scalar?.string ?? ""
            let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000)]
            for (suffix, milliseconds) in units where text.hasSuffix(suffix) {
                if let value = Int64(text.dropLast(suffix.count)), value > 0, value * milliseconds <= 3_600_000 {
                    return .milliseconds(value * milliseconds)
                }
            }
            issue(node, field, "expected a duration up to 1 hour such as 250ms, 30s or 2m")
            return nil
        }

        /// A channel kind: one of the deployment's (``Rules/channelKinds``), or any lower-case name when none are given.
        mutating func channel(_ node: Node, _ field: String) -> String? {
            guard rules.channelKinds.isEmpty else { return oneOf(node, field, rules.channelKinds.sorted()) }
            guard let text = node.scalar?.string, !text.isEmpty, text.count <= 32,
                text.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" })
            else {
                issue(node, field, "expected a channel name such as web or telegram")
                return nil
            }
            return text
        }

        mutating func oneOf(_ node: Node, _ field: String, _ allowed: [String]) -> String? {
            guard let text = node.scalar?.string, allowed.contains(text) else {
                issue(node, field, "expected one of \(allowed.joined(separator: ", "))")
                return nil
            }
            return text
        }

        mutating func unknown(_ key: Node, _ parent: String) {
            issue(key, parent == "(document)" ? (key.string ?? "?") : "\(parent).\(key.string ?? "?")", "unknown field")
        }

        mutating func provider(_ node: Node, _ field: String) -> RoutingPolicy.Provider? {
            guard let fields = mapping(node, field) else { return nil }
            var provider = RoutingPolicy.Provider(
                kind: "", baseURL: nil, credential: nil, firstByteTimeout: .seconds(30), totalTimeout: .seconds(300))
            for (key, value) in fields {
                switch key.string {
                case "kind": provider.kind = oneOf(value, "\(field).kind", PolicyParser.kinds) ?? ""
                case "base_url":
                    if let url = string(value, "\(field).base_url") {
                        if url.hasPrefix("http://") || url.hasPrefix("https://") {
                            provider.baseURL = url
                            if let refusal = rules.egress.refusal(url: url, field: "base_url") {
                                issue(value, "\(field).base_url", "\(refusal); Leopost does not call private networks for a tenant")
                            }
                        } else {
                            issue(value, "\(field).base_url", "expected an http:// or https:// URL")
                        }
                    }
                case "api_key":
                    if let reference = string(value, "\(field).api_key") {
                        if reference.hasPrefix("env:"), let refusal = rules.refusal(environmentVariable: String(reference.dropFirst(4))) {
                            issue(value, "\(field).api_key", refusal)
                        } else if reference.hasPrefix("env:") || reference.hasPrefix("secret:") {
                            provider.credential = reference
                        } else {
                            // Never echo what looks like a key back.
                            issue(value, "\(field).api_key", "name where the key is (env:VARIABLE or secret:NAME); a policy never holds a key itself")
                        }
                    }
                case "first_byte_timeout": provider.firstByteTimeout = duration(value, "\(field).first_byte_timeout") ?? provider.firstByteTimeout
                case "first_token_timeout": provider.firstTokenTimeout = duration(value, "\(field).first_token_timeout") ?? provider.firstTokenTimeout
                case "total_timeout": provider.totalTimeout = duration(value, "\(field).total_timeout") ?? provider.totalTimeout
                default: unknown(key, field)
                }
            }
            if provider.kind.isEmpty, !issues.contains(where: { $0.field == "\(field).kind" }) {
                issue(node, "\(field).kind", "missing; expected one of \(PolicyParser.kinds.joined(separator: ", "))")
            }
            return provider.kind.isEmpty ? nil : provider
        }

        mutating func chainEntry(_ node: Node, _ field: String) -> RoutingPolicy.ChainEntry? {
            guard let fields = mapping(node, field) else { return nil }
            var entry = RoutingPolicy.ChainEntry(provider: "", model: "", maxTokens: 1024)
            for (key, value) in fields {
                switch key.string {
                case "provider": entry.provider = string(value, "\(field).provider") ?? ""
                case "model": entry.model = string(value, "\(field).model") ?? ""
                case "max_tokens": entry.maxTokens = int(value, "\(field).max_tokens", in: 1...200_000) ?? entry.maxTokens
                case "images": entry.images = bool(value, "\(field).images") ?? false
                default: unknown(key, field)
                }
            }
            if entry.provider.isEmpty { issue(node, "\(field).provider", "missing; name one of `providers`") }
            if entry.model.isEmpty { issue(node, "\(field).model", "missing") }
            return entry.provider.isEmpty || entry.model.isEmpty ? nil : entry
        }

        /// One price override: `{provider, model, input_per_million, output_per_million, cache_read_per_million}` in USD.
        mutating func price(_ node: Node, _ field: String) -> ModelPrice? {
            guard let fields = mapping(node, field) else { return nil }
            var provider: String?, model: String?, input: Double?, output: Double?, cacheRead: Double?
            for (key, value) in fields {
                switch key.string {
                case "provider": provider = oneOf(value, "\(field).provider", PolicyParser.kinds)
                case "model": model = string(value, "\(field).model")
                case "input_per_million": input = usd(value, "\(field).input_per_million")
                case "output_per_million": output = usd(value, "\(field).output_per_million")
                case "cache_read_per_million": cacheRead = usd(value, "\(field).cache_read_per_million")
                default: unknown(key, field)
                }
            }
            for (name, value) in [("provider", provider), ("model", model)]
            where value == nil && !issues.contains(where: { $0.field == "\(field).\(name)" }) {
                issue(node, "\(field).\(name)", "missing")
            }
            for (name, value) in [("input_per_million", input), ("output_per_million", output)]
            where value == nil && !issues.contains(where: { $0.field == "\(field).\(name)" }) {
                issue(node, "\(field).\(name)", "missing; the price in USD per million tokens")
            }
            guard let provider, let model, let input, let output else { return nil }
            // A policy price applies from the start of time: it is the tenant's rate, not a dated list price.
            return ModelPrice(
                provider: provider, model: model, effective: "2000-01-01", inputPerMillion: input, outputPerMillion: output,
                cacheReadPerMillion: cacheRead ?? input
            )
        }

        mutating func budgets(_ node: Node, _ field: String) -> RoutingPolicy.Budgets? {
            guard let fields = mapping(node, field) else { return nil }
            var budgets = RoutingPolicy.default.budgets
            var downgradeChain: String?
            var action = "refuse"
            for (key, value) in fields {
                switch key.string {
                case "daily_usd": budgets.dailyUSD = usd(value, "budgets.daily_usd")
                case "monthly_usd": budgets.monthlyUSD = usd(value, "budgets.monthly_usd")
                case "per_user_daily_usd": budgets.perUserDailyUSD = usd(value, "budgets.per_user_daily_usd")
                case "per_message_usd": budgets.perMessageUSD = usd(value, "budgets.per_message_usd")
                case "when_exhausted": action = oneOf(value, "budgets.when_exhausted", ["refuse", "downgrade"]) ?? action
                case "downgrade_chain": downgradeChain = string(value, "budgets.downgrade_chain")
                default: unknown(key, field)
                }
            }
            if action == "downgrade" {
                guard let downgradeChain else {
                    issue(node, "budgets.downgrade_chain", "required when when_exhausted is downgrade")
                    return budgets
                }
                budgets.whenExhausted = .downgrade(chain: downgradeChain)
            }
            return budgets
        }

        /// References between sections: chain entries name existing providers, a downgrade names an existing chain.
        mutating func crossCheck(_ policy: RoutingPolicy, chainsGiven: Bool, root: [(Node, Node)]) {
            let chainsNode = root.first { $0.0.string == "chains" }?.1
            for (task, entries) in policy.chains.sorted(by: { $0.key < $1.key }) {
                for (index, entry) in entries.enumerated() where policy.providers[entry.provider] == nil {
                    let entryNode = chainsNode?.mapping?[Node(task)]?.sequence?[index]
                    issue(entryNode, "chains.\(task)[\(index)].provider", "no provider named \(entry.provider) in `providers`")
                }
            }
            if !chainsGiven {
                for entry in policy.chains.values.flatMap({ $0 }) where policy.providers[entry.provider] == nil {
                    issue(nil, "chains", "the default chains use the provider \(entry.provider); define chains for your providers")
                    break
                }
            }
            if case .downgrade(let chain) = policy.budgets.whenExhausted, policy.chains[chain] == nil {
                let node = root.first { $0.0.string == "budgets" }?.1.mapping?[Node("downgrade_chain")]
                issue(node, "budgets.downgrade_chain", "no chain named \(chain) in `chains`")
            }
        }
    }
}
