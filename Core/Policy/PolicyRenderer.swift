import Foundation

/// Writes a policy as YAML with every default filled in (`leopost policy show`). The output
/// parses back to the same policy, and it holds credential references only, never keys.
public enum PolicyRenderer {
    /// The policy as YAML.
    public static func yaml(_ policy: RoutingPolicy) -> String {
        var lines = ["version: \(policy.version)", "providers:"]
        for (name, provider) in policy.providers.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(quoted(name)):")
            lines.append("    kind: \(provider.kind)")
            if let url = provider.baseURL { lines.append("    base_url: \(quoted(url))") }
            if let credential = provider.credential { lines.append("    api_key: \(quoted(credential))") }
            lines.append("    first_byte_timeout: \(duration(provider.firstByteTimeout))")
            lines.append("    first_token_timeout: \(duration(provider.firstTokenTimeout))")
            lines.append("    total_timeout: \(duration(provider.totalTimeout))")
        }
        lines.append("chains:")
        for (task, entries) in policy.chains.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(quoted(task)):")
            for entry in entries {
                lines.append("    - provider: \(quoted(entry.provider))")
                lines.append("      model: \(quoted(entry.model))")
                lines.append("      max_tokens: \(entry.maxTokens)")
                if entry.images { lines.append("      images: true") }
            }
        }
        lines.append("fallback_on: [\(policy.fallbackOn.joined(separator: ", "))]")
        lines.append("retries: {max_attempts: \(policy.maxAttempts), base_delay: \(duration(policy.retryBaseDelay))}")
        lines.append("circuit_breaker: {failure_threshold: \(policy.circuitFailureThreshold), cooldown: \(duration(policy.circuitCooldown))}")
        lines.append("budgets:")
        let budgets = policy.budgets
        for (key, value) in [
            ("daily_usd", budgets.dailyUSD), ("monthly_usd", budgets.monthlyUSD),
            ("per_user_daily_usd", budgets.perUserDailyUSD), ("per_message_usd", budgets.perMessageUSD),
        ] {
            if let value { lines.append("  \(key): \(value)") }
        }
        switch budgets.whenExhausted {
        case .refuse: lines.append("  when_exhausted: refuse")
        case .downgrade(let chain):
            lines.append("  when_exhausted: downgrade")
            lines.append("  downgrade_chain: \(quoted(chain))")
        }
        var limits: [String] = []
        if let tenant = policy.tenantRequestsPerMinute { limits.append("tenant_per_minute: \(tenant)") }
        if let user = policy.userRequestsPerMinute { limits.append("user_per_minute: \(user)") }
        lines.append("rate_limits: {\(limits.joined(separator: ", "))}")
        lines.append("channels: [\(policy.channels.joined(separator: ", "))]")
        lines.append("platforms: [\(policy.platforms.map(quoted).joined(separator: ", "))]")
        lines.append("posts: {require_confirmation: \(policy.postsNeedConfirmation)}")
        lines.append("tools: {max_steps: \(policy.toolMaxSteps)}")
        if !policy.prices.isEmpty {
            lines.append("prices:")
            for price in policy.prices {
                lines.append(
                    "  - {provider: \(price.provider), model: \(quoted(price.model)), input_per_million: \(perMillion(price.inputPerToken)), "
                        + "output_per_million: \(perMillion(price.outputPerToken)), cache_read_per_million: \(perMillion(price.cacheReadPerToken))}")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Nanodollars per token as USD per million tokens.
    static func perMillion(_ nanodollarsPerToken: Int64) -> String {
        "\(Double(nanodollarsPerToken) / 1000)"
    }

    static func duration(_ value: Duration) -> String {
        let milliseconds = value.milliseconds
        if milliseconds % 60_000 == 0 { return "\(milliseconds / 60_000)m" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
        return "\(milliseconds)ms"
    }

    /// Double-quoted YAML scalar, so names and URLs with `:` or `#` stay text.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
