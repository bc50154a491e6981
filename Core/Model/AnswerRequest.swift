public import Foundation

/// The `router` stage's job: a stored message to answer, with its tenant, person and conversation
/// already resolved. Only ids travel through Redis; the text stays in PostgreSQL.
public struct AnswerRequest: Sendable, Equatable, Codable {
    /// Whose message it is.
    public var tenantID: TenantID
    /// The person who wrote it.
    public var userID: UUID
    /// The conversation it belongs to (also the job's ordering key: one conversation is answered in order).
    public var conversationID: UUID
    /// The stored inbound message.
    public var messageID: UUID
    /// The channel to answer on.
    public var channel: String

    /// Creates a request.
    public init(tenantID: TenantID, userID: UUID, conversationID: UUID, messageID: UUID, channel: String) {
        self.tenantID = tenantID
        self.userID = userID
        self.conversationID = conversationID
        self.messageID = messageID
        self.channel = channel
    }
}
