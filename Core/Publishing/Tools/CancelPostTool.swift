/// `cancel_post(id)`: cancels what has not gone out of one of this person's posts.
struct CancelPostTool: AssistantTool {
    let tools: PublishingTools

    var definition: ToolDefinition {
        ToolDefinition(
            name: "cancel_post",
            description: "Cancel one of this person's posts: whatever has not been published yet will not be. Ask the person first.",
            parameters: [
                "type": "object",
                "properties": ["id": ["type": "string", "description": "The post's id, from list_posts or draft_post."]],
                "required": ["id"],
            ]
        )
    }

    func label(for arguments: [String: JSONValue]) -> String { "Cancelling a post…" }

    func run(_ arguments: [String: JSONValue], context: ToolContext) async throws -> JSONValue {
        let fields = try ToolArguments(arguments, known: ["id"])
        let post = try await tools.visiblePost(try fields.string("id", required: true) ?? "", context: context)
        let cancelled = try await PublishingTools.answering { try await tools.publisher.cancel(post.id, tenant: context.tenant) }
        return PublishingTools.summary(cancelled, context: context)
    }
}
