public import Foundation

/// One stored message of a conversation, from the person (`inbound`) or the assistant (`outbound`).
public struct ConversationMessage: Sendable, Equatable {
    /// Which way it went.
    public enum Direction: String, Sendable, Codable {
        /// From the person.
        case inbound
        /// From the assistant.
        case outbound
    }

    /// Where a message is in its life.
    public enum Status: String, Sendable, Codable {
        /// A person's message, accepted and queued for an answer.
        case received
        /// A person's message that has been answered.
        case answered
        /// An assistant answer being produced.
        case streaming
        /// An assistant answer that finished.
        case completed
        /// An answer that failed (the text says why), or a message that could not be handled.
        case failed
        /// An answer handed to a channel that does not stream.
        case delivered
    }

    /// The message's id.
    public var id: UUID
    /// Its conversation.
    public var conversationID: UUID
    /// Which way it went.
    public var direction: Direction
    /// The channel it travelled on.
    public var channel: String
    /// What it says.
    public var parts: [MessagePart]
    /// The channel's own id (Telegram `update_id`, WhatsApp `wamid`), used to accept it once.
    public var externalID: String?
    /// For an answer: the message it answers.
    public var replyTo: UUID?
    /// Where it is in its life.
    public var status: Status
    /// When it was stored.
    public var createdAt: Date

    /// Creates a message value.
    public init(
        id: UUID, conversationID: UUID, direction: Direction, channel: String, parts: [MessagePart],
        externalID: String? = nil, replyTo: UUID? = nil, status: Status, createdAt: Date = Date()
    ) {
        self.id = id
        self.conversationID = conversationID
        self.direction = direction
        self.channel = channel
        self.parts = parts
        self.externalID = externalID
        self.replyTo = replyTo
        self.status = status
        self.createdAt = createdAt
    }

    /// The answer's id for an inbound message: derived, not random, so a redelivered job that
    /// answers again updates the same message instead of adding a second answer.
    public static func answerID(for inbound: UUID) -> UUID {
        let digest = SHA256.hash(Array("leopost.answer:\(inbound.uuidString.lowercased())".utf8))
        var bytes = Array(digest.prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50  // version 5 layout (name-based, SHA)
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 4122 variant
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }
}
