public import Foundation

/// A thread between one of a tenant's people and the assistant, on one channel.
///
/// The channel (and the connection, for Telegram or WhatsApp) is remembered so the answer goes
/// back where the question came from.
public struct Conversation: Sendable, Equatable {
    /// The conversation's id.
    public var id: UUID
    /// The person it belongs to.
    public var userID: UUID
    /// `web`, `telegram`, `whatsapp`, `email`.
    public var channel: String
    /// The channel connection it arrived through, for channels that have them.
    public var connectionID: UUID?
    /// The channel's address of the thread (a Telegram chat id, a phone number), where answers go.
    public var externalThread: String?
    /// A short title for lists.
    public var title: String
    /// When it began.
    public var createdAt: Date
    /// When its last message was stored.
    public var updatedAt: Date

    /// Creates a conversation value.
    public init(
        id: UUID, userID: UUID, channel: String, connectionID: UUID? = nil, externalThread: String? = nil, title: String, createdAt: Date,
        updatedAt: Date
    ) {
        self.externalThread = externalThread
        self.id = id
        self.userID = userID
        self.channel = channel
        self.connectionID = connectionID
        self.title = title
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
