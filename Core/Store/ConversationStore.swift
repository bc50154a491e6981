public import Foundation

/// Conversations and their messages in PostgreSQL, always under the tenant's door.
///
/// A person sees their own conversations; `userID: nil` (an API key) sees the tenant's. Another
/// person's or another tenant's conversation is simply not found, so callers answer 404.
public struct ConversationStore: Sendable {
    let pool: PostgresPool

    /// Creates a store over the server's pool.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Starts a conversation for `userID` on `channel`.
    public func create(
        tenant: TenantID, userID: UUID, channel: String, title: String = "", connectionID: UUID? = nil, externalThread: String? = nil
    ) async throws -> Conversation {
        let title = String(title.trimmingCharacters(in: .whitespacesAndNewlines).prefix(200))
        let id = UUID.random()
        return try await pool.withTenantTransaction(tenant.rawValue) { connection in
            let row = try connection.query(
                """
                INSERT INTO conversations (id, tenant_id, user_id, channel, connection_id, title, external_thread)
                VALUES (\(id), \(tenant.rawValue), \(userID), \(channel), \(connectionID), \(title), \(externalThread))
                RETURNING \(unsafe: Self.conversationColumns)
                """
            )[0]
            return try Self.conversation(from: row)
        }
    }

    /// The conversation of a channel thread (a Telegram chat, a WhatsApp number), started for
    /// `userID` when the thread has none yet.
    public func thread(
        _ externalThread: String, channel: String, connectionID: UUID?, userID: UUID, tenant: TenantID
    ) async throws -> Conversation {
        try await pool.withTenantTransaction(tenant.rawValue) { connection in
            let found = try connection.query(
                """
                SELECT \(unsafe: Self.conversationColumns) FROM conversations
                WHERE channel = \(channel) AND connection_id IS NOT DISTINCT FROM \(connectionID) AND external_thread = \(externalThread)
                """
            )
            if let row = found.first { return try Self.conversation(from: row) }
            // Two first messages of a thread at once: one insert wins, the other finds its row.
            let inserted = try connection.query(
                """
                INSERT INTO conversations (id, tenant_id, user_id, channel, connection_id, external_thread)
                VALUES (\(UUID.random()), \(tenant.rawValue), \(userID), \(channel), \(connectionID), \(externalThread))
                ON CONFLICT (tenant_id, channel, connection_id, external_thread) WHERE external_thread IS NOT NULL DO NOTHING
                RETURNING \(unsafe: Self.conversationColumns)
                """
            )
            let row =
                try inserted.first
                ?? connection.query(
                    """
                    SELECT \(unsafe: Self.conversationColumns) FROM conversations
                    WHERE channel = \(channel) AND connection_id IS NOT DISTINCT FROM \(connectionID) AND external_thread = \(externalThread)
                    """
                )[0]
            return try Self.conversation(from: row)
        }
    }

    /// The conversation `id` when `userID` may see it (`nil` user: any of the tenant's).
    public func conversation(_ id: UUID, tenant: TenantID, userID: UUID?) async throws -> Conversation? {
        try await pool.tenantQuery(
            tenant.rawValue,
            """
            SELECT \(unsafe: Self.conversationColumns) FROM conversations
            WHERE id = \(id) AND (\(userID)::uuid IS NULL OR user_id = \(userID))
            """
        ).first.map(Self.conversation(from:))
    }

    /// The person called `name` and their conversation `id`, in one statement: what every
    /// conversation route of a chat token needs. `userID` is nil when the tenant has no such
    /// person yet; `conversation` is nil when it is not theirs (or does not exist).
    public func conversation(_ id: UUID, tenant: TenantID, personNamed name: String) async throws -> (userID: UUID?, conversation: Conversation?) {
        guard
            let row = try await pool.tenantQuery(
                tenant.rawValue,
                """
                SELECT u.id AS viewer, \(unsafe: Self.joinedConversationColumns) FROM users u
                LEFT JOIN conversations c ON c.id = \(id) AND c.user_id = u.id
                WHERE u.name = \(name)
                """
            ).first
        else { return (nil, nil) }
        let viewer = try row.decode(UUID.self, column: "viewer")
        guard try row.decode(UUID?.self, column: "id") != nil else { return (viewer, nil) }
        return (viewer, try Self.conversation(from: row))
    }

    /// The conversations `userID` may see, most recently active first.
    public func conversations(tenant: TenantID, userID: UUID?, limit: Int = 100) async throws -> [Conversation] {
        try await pool.tenantQuery(
            tenant.rawValue,
            """
            SELECT \(unsafe: Self.conversationColumns) FROM conversations
            WHERE (\(userID)::uuid IS NULL OR user_id = \(userID)) ORDER BY updated_at DESC, id LIMIT \(limit)
            """
        ).map(Self.conversation(from:))
    }

    /// Stores a person's message. A message whose channel id was stored before is not stored
    /// again: the first one's id comes back with `inserted: false` (a redelivered webhook, a web
    /// client's retry), and `sameParts` says whether it was stored with these parts (a client that
    /// reused its idempotency key for another message is told so, not silently ignored).
    public func appendInbound(
        tenant: TenantID, conversationID: UUID, channel: String, parts: [MessagePart], externalID: String? = nil
    ) async throws -> (id: UUID, inserted: Bool, sameParts: Bool) {
        let id = UUID.random()
        let json = try Self.json(parts)
        // A conversation without a title is named after its first message.
        let title = String(parts.plainText.prefix(60))
        // One statement: the insert, the conversation touched when it inserted, else the id the
        // channel's message was stored under before.
        let rows = try await pool.tenantQuery(
            tenant.rawValue,
            """
            WITH inserted AS (
                INSERT INTO messages (id, tenant_id, conversation_id, direction, channel, parts, external_id, status)
                VALUES (\(id), \(tenant.rawValue), \(conversationID), 'inbound', \(channel), \(json)::jsonb, \(externalID), 'received')
                ON CONFLICT (tenant_id, channel, external_id) WHERE external_id IS NOT NULL DO NOTHING
                RETURNING id
            ), touched AS (
                UPDATE conversations SET updated_at = now(), title = CASE WHEN title = '' THEN \(title) ELSE title END
                WHERE id = \(conversationID) AND EXISTS (SELECT 1 FROM inserted)
            )
            SELECT id, true AS inserted, true AS same_parts FROM inserted
            UNION ALL
            SELECT id, false, parts = \(json)::jsonb FROM messages
            WHERE channel = \(channel) AND external_id = \(externalID) AND NOT EXISTS (SELECT 1 FROM inserted)
            """
        )
        if let row = rows.first {
            return (
                try row.decode(UUID.self, column: "id"), try row.decode(Bool.self, column: "inserted"),
                try row.decode(Bool.self, column: "same_parts")
            )
        }
        // The same channel message was being stored at that moment: the statement's snapshot,
        // taken before that commit, could not see it; a new statement does.
        guard
            let existing = try await pool.tenantQuery(
                tenant.rawValue,
                "SELECT id, parts = \(json)::jsonb AS same_parts FROM messages WHERE channel = \(channel) AND external_id = \(externalID)"
            )
            .first
        else { throw StoreError(code: .conflict, message: "message \(externalID ?? "") of \(channel) was neither stored nor found; send it again") }
        return (try existing.decode(UUID.self, column: "id"), false, try existing.decode(Bool.self, column: "same_parts"))
    }

    /// Writes the answer to message `answer.replyTo`: created on first call, replaced after (a
    /// re-run job writes over its earlier attempt). The question is marked answered when the answer
    /// is final.
    public func saveAnswer(_ answer: ConversationMessage, tenant: TenantID) async throws {
        let json = try Self.json(answer.parts)
        var statements: [SQL] = [
            """
            INSERT INTO messages (id, tenant_id, conversation_id, direction, channel, parts, reply_to, status)
            VALUES (\(answer.id), \(tenant.rawValue), \(answer.conversationID), 'outbound', \(answer.channel), \(json)::jsonb,
                \(answer.replyTo), \(answer.status.rawValue))
            ON CONFLICT (id) DO UPDATE SET parts = excluded.parts, status = excluded.status, updated_at = now()
            """
        ]
        if answer.status != .streaming, let question = answer.replyTo {
            let status = answer.status == .failed ? "failed" : "answered"
            statements.append("UPDATE messages SET status = \(status), updated_at = now() WHERE id = \(question)")
            statements.append("UPDATE conversations SET updated_at = now() WHERE id = \(answer.conversationID)")
        }
        _ = try await pool.tenantStatements(tenant.rawValue, statements)
    }

    /// Marks an answer as handed to its channel (a completed one; a failed answer keeps its status).
    public func markDelivered(_ id: UUID, tenant: TenantID) async throws {
        _ = try await pool.tenantQuery(
            tenant.rawValue, "UPDATE messages SET status = 'delivered', updated_at = now() WHERE id = \(id) AND status = 'completed'")
    }

    /// One message of the tenant's, or `nil`.
    public func message(_ id: UUID, tenant: TenantID) async throws -> ConversationMessage? {
        try await pool.tenantQuery(tenant.rawValue, "SELECT \(unsafe: Self.messageColumns) FROM messages WHERE id = \(id)").first.map(
            Self.message(from:))
    }

    /// The tenant's messages among `ids`, by id (an id it has none such for is absent): one
    /// statement for what a caller would otherwise read one by one.
    public func messages(_ ids: [UUID], tenant: TenantID) async throws -> [UUID: ConversationMessage] {
        let list = "{" + ids.map(\.uuidString).joined(separator: ",") + "}"
        let rows = try await pool.tenantQuery(
            tenant.rawValue, "SELECT \(unsafe: Self.messageColumns) FROM messages WHERE id = ANY(\(list)::uuid[])")
        return try Dictionary(
            rows.map { row in
                let message = try Self.message(from: row); return (message.id, message)
            }
        ) { first, _ in first }
    }

    /// A page of a conversation's history, oldest first, ending just before message `before` (or
    /// at the newest), and whether older messages remain.
    public func messages(
        conversationID: UUID, tenant: TenantID, limit: Int = 50, before: UUID? = nil
    ) async throws -> (messages: [ConversationMessage], hasOlder: Bool) {
        try await pool.withTenantTransaction(tenant.rawValue) { connection in
            let rows = try connection.query(
                """
                SELECT \(unsafe: Self.messageColumns) FROM messages m
                WHERE conversation_id = \(conversationID)
                  AND (\(before)::uuid IS NULL OR (created_at, id) < (SELECT created_at, id FROM messages WHERE id = \(before)))
                ORDER BY created_at DESC, id DESC LIMIT \(limit + 1)
                """
            ).map(Self.message(from:))
            return (Array(rows.prefix(limit).reversed()), rows.count > limit)
        }
    }

    /// The turns before message `before`, oldest first: the memory a prompt carries. Failed answers
    /// are left out (the model should not learn from an error text).
    public func recentTurns(conversationID: UUID, before: UUID, tenant: TenantID, limit: Int) async throws -> [ConversationMessage] {
        try await pool.tenantQuery(
            tenant.rawValue,
            """
            SELECT \(unsafe: Self.messageColumns) FROM messages m
            WHERE conversation_id = \(conversationID) AND status <> 'failed' AND id <> \(before)
              AND (created_at, id) < (SELECT created_at, id FROM messages WHERE id = \(before))
              AND (direction = 'inbound' OR status IN ('completed', 'delivered'))
            ORDER BY created_at DESC, id DESC LIMIT \(limit)
            """
        ).map(Self.message(from:)).reversed()
    }

    /// The feedback `userID` gave on each of `messageIDs` (absent: none).
    public func ratings(of messageIDs: [UUID], userID: UUID?, tenant: TenantID) async throws -> [UUID: String] {
        guard !messageIDs.isEmpty else { return [:] }
        let list = "{" + messageIDs.map { $0.uuidString }.joined(separator: ",") + "}"
        return try await pool.withTenantTransaction(tenant.rawValue) { connection in
            var ratings: [UUID: String] = [:]
            for row in try connection.query(
                "SELECT message_id, rating FROM feedback WHERE message_id = ANY(\(list)::uuid[]) AND user_id IS NOT DISTINCT FROM \(userID)"
            ) {
                ratings[try row.decode(UUID.self, column: "message_id")] = try row.decode(String.self, column: "rating")
            }
            return ratings
        }
    }

    static let conversationColumns = "id, user_id, channel, connection_id, external_thread, title, created_at, updated_at"
    /// The same columns of `conversations c`, for a statement that joins it.
    static let joinedConversationColumns = conversationColumns.split(separator: ",").map { "c." + $0.trimmingCharacters(in: .whitespaces) }
        .joined(separator: ", ")
    static let messageColumns = "id, conversation_id, direction, channel, parts::text AS parts, external_id, reply_to, status, created_at"

    static func conversation(from row: PostgresRow) throws -> Conversation {
        Conversation(
            id: try row.decode(column: "id"), userID: try row.decode(column: "user_id"), channel: try row.decode(column: "channel"),
            connectionID: try row.decode(column: "connection_id"), externalThread: try row.decode(column: "external_thread"),
            title: try row.decode(column: "title"),
            createdAt: try row.decode(column: "created_at"), updatedAt: try row.decode(column: "updated_at")
        )
    }

    static func message(from row: PostgresRow) throws -> ConversationMessage {
        let parts = try JSONCoding.decoder.decode([MessagePart].self, from: Data(try row.decode(String.self, column: "parts").utf8))
        return ConversationMessage(
            id: try row.decode(column: "id"), conversationID: try row.decode(column: "conversation_id"),
            direction: ConversationMessage.Direction(rawValue: try row.decode(column: "direction")) ?? .inbound,
            channel: try row.decode(column: "channel"), parts: parts, externalID: try row.decode(column: "external_id"),
            replyTo: try row.decode(column: "reply_to"),
            status: ConversationMessage.Status(rawValue: try row.decode(column: "status")) ?? .received,
            createdAt: try row.decode(column: "created_at")
        )
    }

    static func json(_ parts: [MessagePart]) throws -> String {
        String(decoding: try JSONCoding.encoder.encode(parts), as: UTF8.self)
    }
}
