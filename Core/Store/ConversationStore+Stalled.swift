public import Foundation

extension ConversationStore {
    /// A person's message that was stored and has had no answer for a while: its tenant and id.
    public struct StalledMessage: Sendable, Equatable {
        /// The tenant it belongs to; everything else about it is read under this tenant.
        public let tenant: TenantID
        /// The message.
        public let messageID: UUID
    }

    /// People's messages of every tenant that have waited longer than `waited` for an answer
    /// (and arrived within `horizon`), oldest first, at most `limit`: ids only, through
    /// `leopost_stalled_messages`, the one cross-tenant view the server has (see the sweeper
    /// migration). A message still being answered is listed too; re-queueing it is a no-op.
    public func stalledMessages(waited: Duration, horizon: Duration, limit: Int) async throws -> [StalledMessage] {
        try await pool.query(
            """
            SELECT tenant_id, message_id FROM leopost_stalled_messages(\(Int(waited.components.seconds)), \(Int(horizon.components.seconds)), \(limit))
            """
        ).map { row in
            StalledMessage(
                tenant: TenantID(try row.decode(UUID.self, column: "tenant_id")), messageID: try row.decode(UUID.self, column: "message_id"))
        }
    }
}
