public import Foundation

/// What storing a chat app message from a linked sender found and did.
public struct StoredInbound: Sendable, Equatable {
    /// The person the sender is linked to.
    public var userID: UUID
    /// The conversation of the message's thread (started by this message when it had none).
    public var conversation: Conversation
    /// The stored message's id: new, or the one stored the first time this channel message came.
    public var messageID: UUID
    /// False when the same channel message had been stored before.
    public var inserted: Bool
}

extension ConversationStore {
    /// Stores a chat app message in one statement and one round trip: looks up who the sender is
    /// linked to, finds or starts the thread's conversation, stores the message once by its
    /// channel id and names a new conversation after it.
    ///
    /// This is the intake stage's hot path; the same steps as `IdentityStore.user`, `thread` and
    /// `appendInbound` one after another, which cost three transactions and a dozen round trips.
    /// - Returns: nil when the sender is not linked (nothing is written).
    public func appendInbound(
        from senderID: String, thread: String, channel: String, connectionID: UUID, parts: [MessagePart], externalID: String,
        tenant: TenantID
    ) async throws -> StoredInbound? {
        let json = try Self.json(parts)
        let title = String(parts.plainText.prefix(60))
        let statement: SQL = """
            WITH sender AS (
                SELECT user_id FROM identities WHERE channel = \(channel) AND external_id = \(senderID)
            ), found AS (
                SELECT \(unsafe: Self.conversationColumns) FROM conversations
                WHERE channel = \(channel) AND connection_id = \(connectionID)::uuid AND external_thread = \(thread)
            ), created AS (
                INSERT INTO conversations (id, tenant_id, user_id, channel, connection_id, external_thread, title)
                SELECT \(UUID.random())::uuid, \(tenant.rawValue)::uuid, sender.user_id, \(channel)::text, \(connectionID)::uuid, \(thread)::text,
                    \(title)::text
                FROM sender WHERE NOT EXISTS (SELECT 1 FROM found)
                ON CONFLICT (tenant_id, channel, connection_id, external_thread) WHERE external_thread IS NOT NULL DO NOTHING
                RETURNING \(unsafe: Self.conversationColumns)
            ), conversation AS (
                SELECT * FROM found UNION ALL SELECT * FROM created
            ), message AS (
                INSERT INTO messages (id, tenant_id, conversation_id, direction, channel, parts, external_id, status)
                SELECT \(UUID.random())::uuid, \(tenant.rawValue)::uuid, conversation.id, 'inbound', \(channel)::text, \(json)::jsonb,
                    \(externalID)::text, 'received'
                FROM conversation WHERE EXISTS (SELECT 1 FROM sender)
                ON CONFLICT (tenant_id, channel, external_id) WHERE external_id IS NOT NULL DO NOTHING
                RETURNING id
            ), touched AS (
                UPDATE conversations SET updated_at = now(), title = CASE WHEN title = '' THEN \(title) ELSE title END
                WHERE id IN (SELECT id FROM found) AND EXISTS (SELECT 1 FROM message)
            )
            SELECT sender.user_id AS sender_user_id, conversation.*,
                COALESCE((SELECT id FROM message), (SELECT id FROM messages WHERE channel = \(channel) AND external_id = \(externalID)))
                    AS message_id,
                EXISTS (SELECT 1 FROM message) AS inserted
            FROM sender LEFT JOIN conversation ON true
            """
        guard let row = try await pool.tenantQuery(tenant.rawValue, statement).first else { return nil }
        let userID: UUID = try row.decode(column: "sender_user_id")
        guard let messageID: UUID = try row.decode(column: "message_id") else {
            // Two first messages of a new thread at once (the intake stage orders a thread's
            // messages, so only from elsewhere): the other insert won; take the long way.
            let conversation = try await self.thread(thread, channel: channel, connectionID: connectionID, userID: userID, tenant: tenant)
            let stored = try await appendInbound(
                tenant: tenant, conversationID: conversation.id, channel: channel, parts: parts, externalID: externalID)
            return StoredInbound(userID: userID, conversation: conversation, messageID: stored.id, inserted: stored.inserted)
        }
        return StoredInbound(
            userID: userID, conversation: try Self.conversation(from: row), messageID: messageID, inserted: try row.decode(column: "inserted"))
    }
}
