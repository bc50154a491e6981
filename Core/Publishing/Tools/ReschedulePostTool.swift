/// `reschedule_post(id, at)`: moves a post that has not gone out to a new time.
struct ReschedulePostTool: AssistantTool {
    let tools: PublishingTools

    var definition: ToolDefinition {
        ToolDefinition(
            name: "reschedule_post",
            description: "Move one of this person's posts that has not gone out yet to a new time.",
            parameters: [
                "type": "object",
                "properties": [
                    "id": ["type": "string", "description": "The post's id, from list_posts or draft_post."],
                    "at": ["type": "string", "description": "The new time, ISO 8601 with the offset of the person's time zone."],
                ],
                "required": ["id", "at"],
            ]
        )
    }

    func label(for arguments: [String: JSONValue]) -> String { "Moving a post…" }

    func run(_ arguments: [String: JSONValue], context: ToolContext) async throws -> JSONValue {
        let fields = try ToolArguments(arguments, known: ["id", "at"])
        let post = try await tools.visiblePost(try fields.string("id", required: true) ?? "", context: context)
        guard let time = try fields.date("at", in: context.timeZone, now: context.now) else { throw ToolError(.invalidArguments, "at is required") }
        guard time > context.now else {
            throw ToolError(
                .refused,
                "at \(LocalTime.iso(time, in: context.timeZone)) is in the past; it is now \(LocalTime.iso(context.now, in: context.timeZone))")
        }
        let moved = try await PublishingTools.answering {
            try await tools.publisher.reschedule(post.id, to: time, tenant: context.tenant, now: context.now)
        }
        return PublishingTools.summary(moved, context: context)
    }
}
