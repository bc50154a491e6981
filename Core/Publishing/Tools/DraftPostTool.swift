import Foundation

/// `draft_post(text | brief, platforms, media?, scheduled_at?)`: makes a draft with a preview per
/// platform, shown in the chat with Confirm, Edit and Cancel. With a `brief` instead of a text, the
/// policy's `draft` chain writes the text (routing by task: the chat model decides, the drafting
/// model writes). With `posts.require_confirmation: false` it is confirmed at once.
struct DraftPostTool: AssistantTool {
    let tools: PublishingTools

    var definition: ToolDefinition {
        ToolDefinition(
            name: "draft_post",
            description: """
                Draft a social media post for one or more platforms. The person sees a preview per platform and confirms, edits \
                or cancels it; nothing is published before that. Give brief (what the post should say) and the drafting model \
                writes it; give text instead only when the person dictated the exact words. Give scheduled_at only when the \
                person asked for a time, as ISO 8601 with the offset of their time zone.
                """,
            parameters: [
                "type": "object",
                "properties": [
                    "brief": ["type": "string", "description": "What the post should say: topic, facts, offer, tone, call to action."],
                    "text": ["type": "string", "description": "The post's exact text, only when the person dictated it."],
                    "platforms": [
                        "type": "array", "items": ["type": "string"],
                        "description": "Platform names as list_social_accounts gives them, e.g. [\"linkedin\", \"x\"].",
                    ],
                    "media": [
                        "type": "array",
                        "items": [
                            "type": "object",
                            "properties": [
                                "media_id": ["type": "string", "description": "An image the person sent: the media_id shown with it."],
                                "kind": ["type": "string", "enum": ["image", "video"]],
                                "url": ["type": "string", "description": "A media URL given in the conversation."],
                            ],
                        ],
                    ],
                    "scheduled_at": [
                        "type": "string",
                        "description": "When to publish, ISO 8601 with offset (2026-12-03T10:00:00+01:00); omit to publish on confirmation.",
                    ],
                ],
                "required": ["platforms"],
            ]
        )
    }

    func label(for arguments: [String: JSONValue]) -> String {
        guard case .array(let items)? = arguments["platforms"] else { return "Drafting a post…" }
        let names = items.compactMap { if case .string(let name) = $0 { name } else { nil } }
        guard !names.isEmpty else { return "Drafting a post…" }
        return "Drafting a post for \(names.map { tools.displayName(of: PublishingTools.canonical($0)) }.joined(separator: ", "))…"
    }

    func run(_ arguments: [String: JSONValue], context: ToolContext) async throws -> JSONValue {
        let fields = try ToolArguments(arguments, known: ["text", "brief", "platforms", "media", "scheduled_at"])
        let platforms = try fields.strings("platforms", required: true) ?? []
        let media = try await self.media(arguments["media"], context: context)
        let time = try fields.date("scheduled_at", in: context.timeZone, now: context.now)
        if let time, time < context.now {
            throw ToolError(
                .refused,
                "scheduled_at \(LocalTime.iso(time, in: context.timeZone)) is in the past; it is now \(LocalTime.iso(context.now, in: context.timeZone))"
            )
        }
        let names = platforms.map(PublishingTools.canonical)
        let text: String
        if let given = try fields.string("text") {
            text = given
        } else if let brief = try fields.string("brief"), let writer = context.writer {
            text = try await writer.write(brief: brief, platforms: names)
        } else {
            throw ToolError(.invalidArguments, "give brief (what the post should say) or text (the exact words)")
        }
        let draft = Publisher.Draft(text: text, platforms: names, media: media, scheduledAt: time, conversationID: context.conversationID)
        var post = try await PublishingTools.answering { try await tools.publisher.draft(draft, tenant: context.tenant, now: context.now) }
        var summary = PublishingTools.summary(post, context: context).objectValue ?? [:]
        if context.policy.postsNeedConfirmation {
            summary["next"] = "The person now sees the preview with Confirm, Edit and Cancel. Say so in one short sentence; do not repeat the text."
        } else {
            post = try await PublishingTools.answering { try await tools.publisher.confirm(post.id, tenant: context.tenant, now: context.now) }
            summary = PublishingTools.summary(post, context: context).objectValue ?? [:]
            summary["next"] = "Confirmed without asking, as this workspace's policy says; tell the person when it goes out."
        }
        return .object(summary)
    }

    /// The post's media: a photo the person sent (`media_id`, made a signed link) or a URL.
    func media(_ value: JSONValue?, context: ToolContext) async throws -> [PostMedia] {
        switch value {
        case nil, .null?: return []
        case .array(let items):
            var media: [PostMedia] = []
            for item in items {
                if case .string(let id)? = item.objectValue?["media_id"] {
                    guard let photos = tools.photos else {
                        throw ToolError(
                            .refused, "this deployment cannot attach the person's images (it has no LEOPOST_PUBLIC_URL to serve them from)")
                    }
                    media.append(PostMedia(kind: "image", url: try await photos.url(of: id, context: context)))
                    continue
                }
                media.append(try Self.linked(item))
            }
            return media
        default: throw ToolError(.invalidArguments, "media must be an array")
        }
    }

    /// A `{"url", "kind"?}` item.
    static func linked(_ item: JSONValue) throws -> PostMedia {
        guard let fields = item.objectValue, case .string(let url)? = fields["url"], !url.isEmpty else {
            throw ToolError(.invalidArguments, "media must be an array of {\"media_id\": …} or {\"url\": …, \"kind\": \"image\" or \"video\"}")
        }
        switch fields["kind"] {
        case nil, .null?: return PostMedia(kind: "image", url: url)
        case .string(let kind) where kind == "image" || kind == "video": return PostMedia(kind: kind, url: url)
        default: throw ToolError(.invalidArguments, "media kind must be \"image\" or \"video\"")
        }
    }
}
