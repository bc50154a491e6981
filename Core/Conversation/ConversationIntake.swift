public import Foundation

/// Where every channel's inbound message enters: stored, announced, and queued for the router —
/// in that order, so a message that was accepted is never lost.
///
/// The message is stored first (a redelivered one is recognised by its channel id), then queued
/// with the message id as the idempotency key, with the conversation as the ordering key. When
/// Redis is down the caller gets the error and answers 5xx; the sender retries, the stored message
/// is found again and queued then, and the answer comes once.
public struct ConversationIntake: Sendable {
    private let conversations: ConversationStore
    private let router: StageQueue
    private let events: ConversationEventLog

    /// Creates the intake.
    public init(conversations: ConversationStore, router: StageQueue, events: ConversationEventLog) {
        self.conversations = conversations
        self.router = router
        self.events = events
    }

    /// What became of an accepted message.
    public struct Accepted: Sendable, Equatable {
        /// The stored message's id.
        public var messageID: UUID
        /// False when the same channel message had been accepted before.
        public var isNew: Bool
    }

    /// Accepts `parts` from `userID` into `conversation`.
    public func accept(
        _ parts: [MessagePart], into conversation: Conversation, from userID: UUID, tenant: TenantID, externalID: String? = nil
    ) async throws -> Accepted {
        let stored = try await conversations.appendInbound(
            tenant: tenant, conversationID: conversation.id, channel: conversation.channel, parts: parts, externalID: externalID
        )
        try await announceAndQueue(
            messageID: stored.id, isNew: stored.inserted, parts: parts, conversation: conversation, from: userID, tenant: tenant)
        return Accepted(messageID: stored.id, isNew: stored.inserted)
    }

    /// The second half of `accept`, for a message the caller stored itself (the intake stage
    /// stores a chat app message in one statement): announces a new one to the conversation's
    /// watchers and queues the router's job, once per message.
    public func announceAndQueue(
        messageID: UUID, isNew: Bool, parts: [MessagePart], conversation: Conversation, from userID: UUID, tenant: TenantID
    ) async throws {
        if isNew {
            try await events.publish(
                .messageReceived, AnswerEvents.Received(messageID: messageID, text: parts.plainText), conversation: conversation.id
            )
        }
        let request = AnswerRequest(
            tenantID: tenant, userID: userID, conversationID: conversation.id, messageID: messageID, channel: conversation.channel
        )
        let payload = String(decoding: try JSONCoding.encoder.encode(request), as: UTF8.self)
        try await router.enqueue(
            payload, orderingKey: conversation.id.uuidString.lowercased(), idempotencyKey: "message:\(messageID)",
            jobID: messageID.uuidString.lowercased()
        )
    }
}
