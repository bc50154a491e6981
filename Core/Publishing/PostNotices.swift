public import Foundation

/// Tells a person in a chat app what became of the post they confirmed there: "Published on
/// mastodon: <link>", or why it failed. The web chat hears the same through `post.status` events;
/// a Telegram or WhatsApp chat has no such stream, so the notice goes out through the delivery
/// stage, once per target and outcome.
public struct PostNotices: Sendable {
    private let conversations: ConversationStore
    private let delivery: StageQueue

    /// Creates the notifier.
    public init(conversations: ConversationStore, delivery: StageQueue) {
        self.conversations = conversations
        self.delivery = delivery
    }

    /// Sends the notice of `target`'s final state to the post's conversation, if it is in a chat app.
    func notify(_ post: Post, target: PostTarget, tenant: TenantID) async throws {
        guard let id = post.conversationID, let conversation = try await conversations.conversation(id, tenant: tenant, userID: nil),
            conversation.connectionID != nil, conversation.externalThread != nil
        else { return }
        let text: String
        switch target.status {
        case .published: text = "Published on \(target.platform)" + (target.remoteURL.map { ": \($0)" } ?? ".")
        case .failed: text = "Could not publish on \(target.platform): \(target.lastError ?? "no reason given")"
        case .unconfirmed: text = "I could not confirm whether the post reached \(target.platform); please check there before posting it again."
        default: return
        }
        try await delivery.deliver(
            [.text(text)], messageID: UUID.random(), to: conversation, tenant: tenant,
            idempotencyKey: "post-status:\(target.id.uuidString.lowercased()):\(target.status.rawValue)")
    }
}
