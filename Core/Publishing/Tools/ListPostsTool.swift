/// `list_posts(state?)`: this person's scheduled and recent posts, newest first, with the ids the
/// other tools take.
struct ListPostsTool: AssistantTool {
    let tools: PublishingTools
    static let states = ["draft", "scheduled", "publishing", "published", "partly_published", "failed", "cancelled"]

    var definition: ToolDefinition {
        ToolDefinition(
            name: "list_posts",
            description: "List this person's posts, newest first (at most 20): drafts, scheduled, published, failed and cancelled ones, with ids.",
            parameters: [
                "type": "object",
                "properties": [
                    "state": ["type": "string", "enum": .array(Self.states.map(JSONValue.string)), "description": "Only posts in this state."]
                ],
            ]
        )
    }

    func label(for arguments: [String: JSONValue]) -> String { "Looking up your posts…" }

    func run(_ arguments: [String: JSONValue], context: ToolContext) async throws -> JSONValue {
        let fields = try ToolArguments(arguments, known: ["state"])
        let wanted = try fields.string("state")
        if let wanted, !Self.states.contains(wanted) {
            throw ToolError(.invalidArguments, "state must be one of \(Self.states.joined(separator: ", "))")
        }
        let posts = try await tools.posts.posts(ofUser: context.userID, limit: wanted == nil ? 20 : 100, tenant: context.tenant)
            .filter { wanted == nil || PublishingTools.state(of: $0, now: context.now) == wanted }
            .prefix(20)
        return [
            "posts": .array(posts.map { PublishingTools.summary($0, context: context) }),
            "now": .string(LocalTime.iso(context.now, in: context.timeZone)),
        ]
    }
}
