/// `list_social_accounts()`: the platforms this workspace can post to, with each one's state and
/// text limit, so the model drafts for what exists and within what fits.
struct ListSocialAccountsTool: AssistantTool {
    let tools: PublishingTools

    var definition: ToolDefinition {
        ToolDefinition(
            name: "list_social_accounts",
            description: "List the social media accounts this workspace has connected: platform name, state and the platform's text limit.",
            parameters: ["type": "object", "properties": [:]]
        )
    }

    func label(for arguments: [String: JSONValue]) -> String { "Looking up the connected accounts…" }

    func run(_ arguments: [String: JSONValue], context: ToolContext) async throws -> JSONValue {
        _ = try ToolArguments(arguments, known: [])
        let allowed = context.policy.platforms
        let accounts = try await tools.accounts.accounts(tenant: context.tenant).filter { allowed.isEmpty || allowed.contains($0.platform) }
        return [
            "accounts": .array(
                accounts.map { account in
                    var fields: [String: JSONValue] = [
                        "platform": .string(account.platform), "name": .string(tools.displayName(of: account.platform)),
                        "state": .string(account.status.rawValue),
                    ]
                    if let manifest = tools.registry.plugin(named: account.platform)?.manifest {
                        fields["text_limit"] = .number(Double(manifest.text.limit))
                        fields["media"] = .array(manifest.media.map(JSONValue.string))
                    } else {
                        fields["note"] = "no plugin for this platform is loaded: it cannot be posted to now"
                    }
                    return .object(fields)
                })
        ]
    }
}
