public import Foundation
public import Logging

/// Where a messaging channel's normalized messages go (Telegram, WhatsApp, email): the sender is
/// looked up, an unlinked sender gets the link flow or a polite refusal (and nothing reaches the
/// AI), a linked one's message joins the conversation of its thread through `ConversationIntake`.
///
/// Leopost's own replies (linked, not linked, welcome) go out through the delivery stage like any
/// answer, with an idempotency key from the inbound message, so a redelivered webhook never makes
/// a second reply.
public struct ChannelInbox: Sendable {
    /// What became of an inbound message.
    public enum Outcome: Sendable, Equatable {
        /// Stored and queued for an answer (`isNew` false for a redelivery).
        case accepted(messageID: UUID, isNew: Bool)
        /// A `/link CODE` that linked the sender.
        case linked(userID: UUID)
        /// From a sender who is not linked: told how to link, nothing else done.
        case refused
        /// A command answered by Leopost itself (`/start`).
        case answered
    }

    private let conversations: ConversationStore
    private let identities: IdentityStore
    private let codes: LinkCodes
    private let intake: ConversationIntake
    private let delivery: StageQueue
    private let publisher: Publisher?
    private let logger: Logger

    /// Creates the inbox.
    public init(
        conversations: ConversationStore, identities: IdentityStore, codes: LinkCodes, intake: ConversationIntake, delivery: StageQueue,
        publisher: Publisher? = nil, logger: Logger
    ) {
        self.publisher = publisher
        self.conversations = conversations
        self.identities = identities
        self.codes = codes
        self.intake = intake
        self.delivery = delivery
        self.logger = logger
    }

    /// Takes one message from `connection`.
    public func receive(_ message: InboundMessage, through connection: ChannelConnection) async throws -> Outcome {
        let tenant = connection.tenantID
        let text = message.parts.plainText.trimmingCharacters(in: .whitespacesAndNewlines)
        let command = text.split(separator: " ", maxSplits: 1).first.map { $0.split(separator: "@").first.map(String.init) ?? "" } ?? ""
        if command == "/link" {
            let code = text.split(separator: " ", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
            guard let userID = try await codes.redeem(code, tenant: tenant) else {
                try await reply(Self.badCodeText, to: message, through: connection)
                return .refused
            }
            try await identities.link(channel: message.channel, externalID: message.senderID, to: userID, tenant: tenant)
            try await reply(Self.linkedText, to: message, through: connection)
            return .linked(userID: userID)
        }
        if command == "/start" {
            let linked = try await identities.user(channel: message.channel, externalID: message.senderID, tenant: tenant) != nil
            try await reply(linked ? Self.welcomeText : Self.notLinkedText, to: message, through: connection)
            return linked ? .answered : .refused
        }
        let stored: StoredInbound?
        if let externalID = message.externalID {
            // The common case, a chat app message with its channel id: one statement stores it.
            stored = try await conversations.appendInbound(
                from: message.senderID, thread: message.threadID ?? message.senderID, channel: message.channel, connectionID: connection.id,
                parts: message.parts, externalID: externalID, tenant: tenant)
        } else {
            stored = try await storeStepByStep(message, through: connection)
        }
        guard let stored else {
            logger.info("message from a sender who is not linked", metadata: [LogKey.channel: "\(message.channel)"])
            try await reply(Self.notLinkedText, to: message, through: connection)
            return .refused
        }
        try await intake.announceAndQueue(
            messageID: stored.messageID, isNew: stored.inserted, parts: message.parts, conversation: stored.conversation,
            from: stored.userID, tenant: tenant)
        return .accepted(messageID: stored.messageID, isNew: stored.inserted)
    }

    /// Stores a message without a channel id (nothing to deduplicate it by) the long way.
    private func storeStepByStep(_ message: InboundMessage, through connection: ChannelConnection) async throws -> StoredInbound? {
        let tenant = connection.tenantID
        guard let userID = try await identities.user(channel: message.channel, externalID: message.senderID, tenant: tenant) else {
            return nil
        }
        let conversation = try await conversations.thread(
            message.threadID ?? message.senderID, channel: message.channel, connectionID: connection.id, userID: userID, tenant: tenant
        )
        let stored = try await conversations.appendInbound(
            tenant: tenant, conversationID: conversation.id, channel: message.channel, parts: message.parts, externalID: nil)
        return StoredInbound(userID: userID, conversation: conversation, messageID: stored.id, inserted: stored.inserted)
    }

    /// Applies a Confirm or Cancel press under a post preview, from `message`'s sender in its
    /// thread, and returns what to tell the person. Only a linked sender decides, and only on a
    /// post of this thread's conversation.
    public func decide(_ decision: PostDecision, post: UUID, from message: InboundMessage, through connection: ChannelConnection) async throws
        -> String
    {
        let tenant = connection.tenantID
        guard let publisher else { return "Publishing is not available here." }
        guard let userID = try await identities.user(channel: message.channel, externalID: message.senderID, tenant: tenant) else {
            return Self.notLinkedText
        }
        let conversation = try await conversations.thread(
            message.threadID ?? message.senderID, channel: message.channel, connectionID: connection.id, userID: userID, tenant: tenant
        )
        do {
            let result = try await publisher.decide(decision, post: post, conversation: conversation.id, tenant: tenant)
            let platforms = result.targets.map(\.platform).joined(separator: ", ")
            switch decision {
            case .confirm:
                if let time = result.scheduledAt, time > Date() {
                    return "Scheduled for \(time.formatted(Date.ISO8601FormatStyle())) on \(platforms)."
                }
                return "Publishing to \(platforms). I'll tell you when it is out."
            case .cancel:
                return "Cancelled. Nothing more will go out."
            }
        } catch let error as PostError {
            return error.message
        }
    }

    /// Sends Leopost's own `text` back to the sender through the delivery stage.
    public func reply(_ text: String, to message: InboundMessage, through connection: ChannelConnection) async throws {
        let outbound = OutboundMessage(
            tenantID: connection.tenantID, conversationID: nil, messageID: UUID.random(), channel: message.channel, connectionID: connection.id,
            recipient: message.threadID ?? message.senderID, parts: [.text(text)]
        )
        let payload = String(decoding: try JSONCoding.encoder.encode(outbound), as: UTF8.self)
        try await delivery.enqueue(
            payload, orderingKey: "\(message.channel):\(connection.id):\(outbound.recipient)",
            idempotencyKey: "reply:\(message.channel):\(connection.id):\(message.externalID ?? outbound.messageID.uuidString)"
        )
    }

    static let notLinkedText =
        "Hello! This chat is not linked to a Leopost account yet, so I can't answer here. "
        + "Open the web chat, choose \u{201C}Link a chat app\u{201D} to get a code, and send it here as /link CODE."
    static let badCodeText = "That link code is unknown or has expired. Get a new one in the web chat and send /link CODE within ten minutes."
    static let linkedText = "Linked! You can chat with your assistant here now; it knows your brand just as in the web chat."
    /// The answer to a press on a button Leopost no longer acts on, or never sent.
    public static let staleButtonText = "This button is no longer active."
    static let welcomeText = "Hello again! Tell me what you would like to post, and I'll draft it in your brand's voice."
}
