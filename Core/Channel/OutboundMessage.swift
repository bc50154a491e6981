public import Foundation

/// An answer on its way to a channel that does not stream: the `delivery` stage's job.
public struct OutboundMessage: Sendable, Equatable, Codable {
    /// Whose answer it is.
    public var tenantID: TenantID
    /// The conversation it belongs to; `nil` for Leopost's own replies to a sender who is not
    /// linked to anyone yet (they have no conversation).
    public var conversationID: UUID?
    /// The stored answer; with the part index, the idempotency key of each send.
    public var messageID: UUID
    /// The channel to send on.
    public var channel: String
    /// The tenant's connection to send through, for channels that have them.
    public var connectionID: UUID?
    /// The channel's address of the person or thread (a Telegram chat id, a phone number).
    public var recipient: String
    /// What to send.
    public var parts: [MessagePart]
    /// The answer so far, shown while it is produced on channels that can edit a sent message
    /// (one message, edited as the text grows); `nil` or false for the answer itself.
    public var partial: Bool?

    /// Creates an outbound message.
    public init(
        tenantID: TenantID, conversationID: UUID?, messageID: UUID, channel: String, connectionID: UUID?, recipient: String,
        parts: [MessagePart], partial: Bool? = nil
    ) {
        self.partial = partial
        self.tenantID = tenantID
        self.conversationID = conversationID
        self.messageID = messageID
        self.channel = channel
        self.connectionID = connectionID
        self.recipient = recipient
        self.parts = parts
    }
}

/// What the channel said about a sent message.
public struct DeliveryReceipt: Sendable, Equatable {
    /// The channel's id for each piece sent, in order.
    public var externalIDs: [String]

    /// Creates a receipt.
    public init(externalIDs: [String]) {
        self.externalIDs = externalIDs
    }
}
