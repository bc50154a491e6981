public import Foundation

extension ConversationStore {
    /// A chat-app message stored in its thread's conversation.
    public struct ThreadMessage: Sendable, Equatable {
        /// The thread's conversation (started when the thread had none).
        public var conversation: Conversation
        /// The linked sender.
        public var userID: UUID
        /// The stored message.
        public var messageID: UUID
        /// False when the same channel message had been stored before (a redelivered webhook).
        public var inserted: Bool
    }

    /// A chat-app message's way in, in one transaction: who the sender is, the conversation of the
    /// thread, the message stored. `nil` when the sender is not linked, and then nothing is stored.
    ///
    /// One transaction instead of three is what a webhook's latency is made of: each
    /// `withTenantTransaction` is four round trips to PostgreSQL and a connection lease.
    public func appendFromThread(
        sender: String, thread: String, channel: String, connectionID: UUID, parts: [MessagePart], externalID: String?, tenant: TenantID
    ) async throws -> ThreadMessage? {
        let json = try Self.json(parts)
        return try await pool.withTenantTransaction(tenant.rawValue) { connection in
            guard
                let userID = try connection.query("SELECT user_id FROM identities WHERE channel = \(channel) AND external_id = \(sender)")
                    .first.map({ try $0.decode(UUID.self, column: "user_id") })
            else { return nil }
            let conversation = try Self.thread(thread, channel: channel, connectionID: connectionID, userID: userID, tenant: tenant, on: connection)
            let stored = try Self.appendInbound(
                tenant: tenant, conversationID: conversation.id, channel: channel, parts: parts, json: json, externalID: externalID, on: connection)
            return ThreadMessage(conversation: conversation, userID: userID, messageID: stored.id, inserted: stored.inserted)
        }
    }
}
