public import Foundation
public import Logging

/// The publishing tools the assistant is offered (`draft_post`, `list_social_accounts`,
/// `list_posts`, `reschedule_post`, `cancel_post`), over the same ``Publisher`` as the REST routes
/// and the chat buttons, so a post made from a tool call behaves like any other.
public struct PublishingTools: Sendable {
    let publisher: Publisher
    let posts: PostStore
    let accounts: SocialAccountStore
    let conversations: ConversationStore
    /// The person's photos as post media; `nil` without a public URL to serve them from.
    let photos: PhotoAttachments?
    let registry: PluginRegistry

    /// Creates the tools' shared parts.
    public init(
        publisher: Publisher, posts: PostStore, accounts: SocialAccountStore, conversations: ConversationStore, registry: PluginRegistry,
        photos: PhotoAttachments? = nil
    ) {
        self.photos = photos
        self.publisher = publisher
        self.posts = posts
        self.accounts = accounts
        self.conversations = conversations
        self.registry = registry
    }

    /// The tools over a process's shared clients, with a publisher of their own that shows drafts
    /// in the conversation that asked.
    public init(
        redis: RedisClient, postgres: PostgresPool, masterKey: SymmetricKey, plugins: PluginRegistry, policyRules: PolicyParser.Rules, logger: Logger,
        publishStage: String = PublishStage.stage, deliveryStage: String = DeliveryStage.stage, photos: PhotoAttachments? = nil
    ) {
        self.init(
            publisher: Publisher(
                redis: redis, postgres: postgres, masterKey: masterKey, plugins: plugins, policyRules: policyRules, logger: logger,
                publishStage: publishStage, deliveryStage: deliveryStage),
            posts: PostStore(pool: postgres), accounts: SocialAccountStore(pool: postgres, masterKey: masterKey),
            conversations: ConversationStore(pool: postgres), registry: plugins, photos: photos)
    }

    /// Every publishing tool.
    public var all: [any AssistantTool] {
        [
            DraftPostTool(tools: self), ListSocialAccountsTool(tools: self), ListPostsTool(tools: self), ReschedulePostTool(tools: self),
            CancelPostTool(tools: self),
        ]
    }

    /// The post `id` when the person may see it: drafted from one of their own conversations.
    /// Another person's post and another tenant's are not found, alike.
    func visiblePost(_ text: String, context: ToolContext) async throws -> Post {
        guard let id = UUID(uuidString: text) else { throw ToolError(.invalidArguments, "id must be a post id as list_posts gives it") }
        guard let post = try await posts.post(id, tenant: context.tenant), let conversation = post.conversationID,
            try await conversations.conversation(conversation, tenant: context.tenant, userID: context.userID) != nil
        else { throw ToolError(.notFound, "no post \(text) among this person's posts; list_posts shows them") }
        return post
    }

    /// A post as the model reads it: times in the person's zone, each platform's state and link.
    static func summary(_ post: Post, context: ToolContext) -> JSONValue {
        var fields: [String: JSONValue] = [
            "post_id": .string(post.id.uuidString.lowercased()),
            "state": .string(state(of: post, now: context.now)),
            "text": .string(post.text),
            "targets": .array(
                post.targets.map { target in
                    var fields: [String: JSONValue] = [
                        "platform": .string(target.platform), "state": .string(target.status.rawValue),
                        "length": .number(Double(target.preview.length)), "limit": .number(Double(target.preview.limit)),
                    ]
                    if let url = target.remoteURL { fields["url"] = .string(url) }
                    if let error = target.lastError { fields["error"] = .string(error) }
                    return .object(fields)
                }),
        ]
        if let time = post.scheduledAt {
            fields["scheduled_at"] = .string(LocalTime.iso(time, in: context.timeZone))
            fields["scheduled_local"] = .string(LocalTime.display(time, in: context.timeZone, now: context.now))
        }
        return .object(fields)
    }

    /// One word for where a post is: `draft`, `scheduled`, `publishing`, `published`, `failed`, `cancelled` or `partly_published`.
    static func state(of post: Post, now: Date) -> String {
        switch post.status {
        case .draft: return "draft"
        case .cancelled: return "cancelled"
        case .confirmed:
            let states = Set(post.targets.map(\.status))
            if states == [.published] { return "published" }
            if states.isSubset(of: [.failed, .cancelled]) { return "failed" }
            if states.contains(.published) && states.isSubset(of: [.published, .failed, .cancelled]) { return "partly_published" }
            if let time = post.scheduledAt, time > now, states.contains(.queued) { return "scheduled" }
            return "publishing"
        }
    }

    /// A platform name as a model may write it (`LinkedIn`, ` X `, `Twitter`) made the plugin's name.
    static func canonical(_ name: String) -> String {
        let lowered = name.trimmingCharacters(in: .whitespaces).lowercased()
        return lowered == "twitter" ? "x" : lowered
    }

    /// The name people know a platform by: its manifest's `platform` (`LinkedIn`).
    func displayName(of plugin: String) -> String {
        registry.plugin(named: plugin)?.manifest.platform ?? plugin
    }

    /// Runs `body`, turning the publisher's refusals into errors the model reads.
    static func answering<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as PostError {
            switch error.code {
            case .notFound: throw ToolError(.notFound, error.message)
            case .conflict: throw ToolError(.conflict, error.message)
            default: throw ToolError(.refused, "\(error.code): \(error.message)")
            }
        }
    }
}
