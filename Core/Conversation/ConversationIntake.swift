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
        /// For a message accepted before: whether it had these parts. False means the sender
        /// reused its message id (a web client's idempotency key) for a different message.
        public var sameParts: Bool = true
    }

    /// Accepts `parts` from `userID` into `conversation`.
    public func accept(
        _ parts: [MessagePart], into conversation: Conversation, from userID: UUID, tenant: TenantID, externalID: String? = nil
    ) async throws -> Accepted {
        let stored = try await conversations.appendInbound(
            tenant: tenant, conversationID: conversation.id, channel: conversation.channel, parts: parts, externalID: externalID
        )
        let accepted = Accepted(messageID: stored.id, isNew: stored.inserted, sameParts: stored.sameParts)
        // Another message under a used id is the sender's mistake: nothing is queued for it.
        guard accepted.sameParts else { return accepted }
        // A message accepted before is queued again: the first time may have stopped after storing
        // it (Redis down); the router's idempotency key keeps the job single.
        try await announceAndQueue(
            messageID: stored.id, isNew: stored.inserted, parts: parts, conversation: conversation, from: userID, tenant: tenant)
        return accepted
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
        try await queueAnswer(messageID: messageID, conversation: conversation, from: userID, tenant: tenant)
    }

    /// Queues the router's job for a stored message, once: the idempotency key is the message's,
    /// so queueing it again (a retried request, the stalled-message sweeper) adds nothing while
    /// the first job is queued, running or done. Returns whether a job was added.
    @discardableResult
    public func queueAnswer(messageID: UUID, conversation: Conversation, from userID: UUID, tenant: TenantID) async throws -> Bool {
        let request = AnswerRequest(
            tenantID: tenant, userID: userID, conversationID: conversation.id, messageID: messageID, channel: conversation.channel
        )
        let payload = String(decoding: try JSONCoding.encoder.encode(request), as: UTF8.self)
        return try await router.enqueue(
            payload, orderingKey: conversation.id.uuidString.lowercased(), idempotencyKey: "message:\(messageID)",
            jobID: messageID.uuidString.lowercased()
        ).added
    }
}
