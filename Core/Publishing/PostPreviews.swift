public import Foundation

/// Shows a new draft to the conversation that asked for it: a `post.preview` event for the web
/// chat, and, for a conversation in a chat app, a message with the preview and Confirm/Cancel
/// buttons through the delivery stage (once per post, whatever retries happen).
public struct PostPreviews: Sendable {
    private let conversations: ConversationStore
    private let events: ConversationEventLog
    private let delivery: StageQueue
    private let users: UserStore?

    /// Creates the announcer. With `users`, a scheduled time is also shown in the person's zone.
    public init(conversations: ConversationStore, events: ConversationEventLog, delivery: StageQueue, users: UserStore? = nil) {
        self.users = users
        self.conversations = conversations
        self.events = events
        self.delivery = delivery
    }

    /// The data of a `post.preview` event.
    public struct Event: Sendable, Codable, Equatable {
        /// The draft.
        public var postID: UUID
        /// Its text.
        public var text: String
        /// When it would go out; `nil` for on confirmation.
        public var scheduledAt: Date?
        /// That time as the person reads it ("Tue 2 Dec, 10:00 Europe/Berlin"), so a wrong guess shows.
        public var scheduledLocal: String?
        /// Each platform's measure of it.
        public var targets: [Target]

        /// One platform's preview.
        public struct Target: Sendable, Codable, Equatable {
            /// The platform.
            public var platform: String
            /// Its length as the platform counts it.
            public var length: Int
            /// The platform's limit.
            public var limit: Int
        }

        enum CodingKeys: String, CodingKey {
            case postID = "post_id"
            case text
            case scheduledAt = "scheduled_at"
            case scheduledLocal = "scheduled_local"
            case targets
        }
    }

    /// Announces `post` to its conversation, if it has one.
    public func announce(_ post: Post, tenant: TenantID) async throws {
        guard let id = post.conversationID, let conversation = try await conversations.conversation(id, tenant: tenant, userID: nil) else { return }
        var local: String?
        if let time = post.scheduledAt, let users {
            local = LocalTime.display(time, in: try await users.zone(of: conversation.userID, tenant: tenant))
        }
        let event = Event(
            postID: post.id, text: post.text, scheduledAt: post.scheduledAt, scheduledLocal: local,
            targets: post.targets.map { Event.Target(platform: $0.platform, length: $0.preview.length, limit: $0.preview.limit) })
        _ = try await events.publish(.postPreview, event, conversation: id)
        guard conversation.connectionID != nil, conversation.externalThread != nil else { return }
        let preview = PostPreviewPart(postID: post.id, platform: post.targets.map(\.platform).joined(separator: ", "), text: post.text)
        try await delivery.deliver(
            [.postPreview(preview)], messageID: UUID.random(), to: conversation, tenant: tenant,
            idempotencyKey: "preview:\(post.id.uuidString.lowercased())"
        )
    }
}
