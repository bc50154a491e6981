public import Foundation

/// A person's message as a channel adapter normalizes it, before Leopost has resolved who wrote it
/// or where it belongs. Every channel — web, Telegram, WhatsApp, email — produces this one shape;
/// `ConversationIntake` takes it from there.
public struct InboundMessage: Sendable, Equatable, Codable {
    /// The channel it came from (`web`, `telegram`, ...), which is where the answer goes.
    public var channel: String
    /// The tenant's connection it came through, for channels that have them.
    public var connectionID: UUID?
    /// Who wrote it, in the channel's terms (a Telegram user id, a phone number, a web user's name).
    public var senderID: String
    /// The channel's thread (a Telegram chat id); `nil` for channels where the sender is the thread.
    public var threadID: String?
    /// The channel's id for the message, so a redelivered webhook is accepted once.
    public var externalID: String?
    /// What it says.
    public var parts: [MessagePart]
    /// When the gateway accepted it.
    public var receivedAt: Date

    /// Creates an inbound message.
    public init(
        channel: String, connectionID: UUID? = nil, senderID: String, threadID: String? = nil, externalID: String? = nil,
        parts: [MessagePart], receivedAt: Date = Date()
    ) {
        self.channel = channel
        self.connectionID = connectionID
        self.senderID = senderID
        self.threadID = threadID
        self.externalID = externalID
        self.parts = parts
        self.receivedAt = receivedAt
    }
}
