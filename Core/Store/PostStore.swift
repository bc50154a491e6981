public import Foundation

/// Posts and their per-platform targets in PostgreSQL, under the tenant's row-level isolation.
///
/// Every state change is one conditional `UPDATE` (`WHERE status = ...`), so a cancel racing a
/// publish, or two workers racing for one target, cannot both win: the row's state is the lock.
public struct PostStore: Sendable {
    let pool: PostgresPool

    /// Creates a store over the server's pool.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Stores a new draft and its targets.
    public func create(_ post: Post, tenant: TenantID) async throws {
        let media = String(decoding: try JSONCoding.encoder.encode(post.media), as: UTF8.self)
        let previews = try post.targets.map { String(decoding: try JSONCoding.encoder.encode($0.preview), as: UTF8.self) }
        _ = try await pool.withTenantTransaction(tenant.rawValue) { connection in
            try connection.execute(
                """
                INSERT INTO posts (id, tenant_id, conversation_id, text, media, status, scheduled_at)
                VALUES (\(post.id), \(tenant.rawValue), \(post.conversationID), \(post.text), \(media)::jsonb, \(post.status.rawValue), \(post.scheduledAt))
                """
            )
            for (target, preview) in zip(post.targets, previews) {
                try connection.execute(
                    """
                    INSERT INTO post_targets (id, tenant_id, post_id, platform, status, idempotency_key, preview)
                    VALUES (\(target.id), \(tenant.rawValue), \(post.id), \(target.platform), \(target.status.rawValue),
                            \(target.idempotencyKey), \(preview)::jsonb)
                    """
                )
            }
        }
    }

    /// The post `id` of `tenant` with its targets; `nil` when the tenant has none such.
    public func post(_ id: UUID, tenant: TenantID) async throws -> Post? {
        let results = try await pool.tenantStatements(tenant.rawValue, Self.postStatements(id))
        return try Self.post(id, row: results[0].first, targets: results[1])
    }

    /// Confirms a draft: the post becomes `confirmed` and its draft targets `queued`. A post
    /// confirmed before is returned as it is (confirming is idempotent); a cancelled one is `nil`.
    /// A draft scheduled before `notScheduledBefore` is left a draft and returned as it is.
    public func confirm(_ id: UUID, notScheduledBefore: Date? = nil, tenant: TenantID) async throws -> Post? {
        try await pool.withTenantTransaction(tenant.rawValue) { connection in
            guard var post = try Self.post(id, on: connection), post.status != .cancelled else { return nil }
            if let bound = notScheduledBefore, let time = post.scheduledAt, time < bound { return post }
            if post.status == .draft {
                _ = try connection.execute("UPDATE posts SET status = 'confirmed', updated_at = now() WHERE id = \(id) AND status = 'draft'")
                _ = try connection.execute(
                    "UPDATE post_targets SET status = 'queued', updated_at = now() WHERE post_id = \(id) AND status = 'draft'")
                post = try Self.post(id, on: connection) ?? post
            }
            return post
        }
    }

    /// Cancels what has not gone out: draft and queued targets become `cancelled`, and the post
    /// too when no target is out or on its way. Returns the post afterwards.
    public func cancel(_ id: UUID, tenant: TenantID) async throws -> Post? {
        try await pool.withTenantTransaction(tenant.rawValue) { connection in
            guard try Self.post(id, on: connection) != nil else { return nil }
            _ = try connection.execute(
                "UPDATE post_targets SET status = 'cancelled', updated_at = now() WHERE post_id = \(id) AND status IN ('draft', 'queued')")
            _ = try connection.execute(
                """
                UPDATE posts SET status = 'cancelled', updated_at = now() WHERE id = \(id)
                AND NOT EXISTS (SELECT 1 FROM post_targets WHERE post_id = \(id) AND status <> 'cancelled')
                """
            )
            return try Self.post(id, on: connection)
        }
    }

    /// The latest posts drafted from `userID`'s conversations, newest first: what that person may
    /// see of the tenant's posts (the API key sees them all through ``post(_:tenant:)``).
    public func posts(ofUser userID: UUID, limit: Int, tenant: TenantID) async throws -> [Post] {
        try await pool.withTenantTransaction(tenant.rawValue) { connection in
            let ids = try connection.query(
                """
                SELECT p.id FROM posts p JOIN conversations c ON c.tenant_id = p.tenant_id AND c.id = p.conversation_id
                WHERE c.user_id = \(userID) ORDER BY p.created_at DESC LIMIT \(limit)
                """
            ).map { try $0.decode(UUID.self, column: "id") }
            return try ids.compactMap { try Self.post($0, on: connection) }
        }
    }

    /// Replaces a draft's text and each target's preview (measured for the new text). `nil` when
    /// there is no such post or it is no longer a draft: a confirmed post's text is what was agreed.
    public func edit(_ id: UUID, text: String, previews: [UUID: PostPreview], tenant: TenantID) async throws -> Post? {
        let encoded = try previews.mapValues { String(decoding: try JSONCoding.encoder.encode($0), as: UTF8.self) }
        return try await pool.withTenantTransaction(tenant.rawValue) { connection in
            guard try connection.execute("UPDATE posts SET text = \(text), updated_at = now() WHERE id = \(id) AND status = 'draft'") > 0 else {
                return nil
            }
            for (target, preview) in encoded {
                _ = try connection.execute(
                    "UPDATE post_targets SET preview = \(preview)::jsonb, updated_at = now() WHERE id = \(target) AND post_id = \(id)")
            }
            return try Self.post(id, on: connection)
        }
    }

    /// Moves a post that has not gone out to `time` (`nil`: on confirmation). `nil` when there is no such post, or it is
    /// cancelled, or none of its targets is still waiting (draft or queued).
    public func reschedule(_ id: UUID, to time: Date?, tenant: TenantID) async throws -> Post? {
        try await pool.withTenantTransaction(tenant.rawValue) { connection in
            let moved = try connection.execute(
                """
                UPDATE posts SET scheduled_at = \(time), updated_at = now() WHERE id = \(id) AND status <> 'cancelled'
                AND EXISTS (SELECT 1 FROM post_targets WHERE post_id = \(id) AND status IN ('draft', 'queued'))
                """
            )
            return moved > 0 ? try Self.post(id, on: connection) : nil
        }
    }

    /// Starts an attempt: the target moves from one of `from` to `publishing`, its attempt count
    /// grows and `sent_at` is now. `nil` when it is in none of those states (cancelled meanwhile,
    /// or another worker took it).
    public func beginAttempt(_ targetID: UUID, from: [PostTarget.Status], tenant: TenantID) async throws -> PostTarget? {
        let states = "{" + from.map(\.rawValue).joined(separator: ",") + "}"
        return try await pool.tenantQuery(
            tenant.rawValue,
            """
            UPDATE post_targets SET status = 'publishing', attempts = attempts + 1, sent_at = now(), updated_at = now()
            WHERE id = \(targetID) AND status = ANY(\(states)::text[]) RETURNING \(unsafe: Self.targetColumns)
            """
        ).first.map(Self.target(from:))
    }

    /// Records an attempt's outcome. A published target never changes again.
    @discardableResult
    public func record(
        _ targetID: UUID, status: PostTarget.Status, remoteID: String? = nil, remoteURL: String? = nil, error: String? = nil, tenant: TenantID
    ) async throws -> PostTarget? {
        try await pool.tenantQuery(
            tenant.rawValue,
            """
            UPDATE post_targets SET status = \(status.rawValue), remote_id = coalesce(\(remoteID), remote_id),
                remote_url = coalesce(\(remoteURL), remote_url), last_error = \(error),
                published_at = CASE WHEN \(status.rawValue) = 'published' THEN now() ELSE published_at END, updated_at = now()
            WHERE id = \(targetID) AND status NOT IN ('published', 'cancelled') RETURNING \(unsafe: Self.targetColumns)
            """
        ).first.map(Self.target(from:))
    }

    static let targetColumns =
        "id, platform, status, preview::text AS preview, remote_id, remote_url, attempts, last_error, idempotency_key, sent_at, published_at"

    /// The two reads a post takes: its row, then its targets.
    private static func postStatements(_ id: UUID) -> [SQL] {
        [
            "SELECT conversation_id, text, media::text AS media, status, scheduled_at, created_at FROM posts WHERE id = \(id)",
            "SELECT \(unsafe: targetColumns) FROM post_targets WHERE post_id = \(id) ORDER BY platform",
        ]
    }

    private static func post(_ id: UUID, on connection: PostgresConnection) throws -> Post? {
        let statements = postStatements(id)
        guard let row = try connection.query(statements[0]).first else { return nil }
        return try post(id, row: row, targets: try connection.query(statements[1]))
    }

    private static func post(_ id: UUID, row: PostgresRow?, targets rows: PostgresResult) throws -> Post? {
        guard let row else { return nil }
        return Post(
            id: id, conversationID: try row.decode(UUID?.self, column: "conversation_id"), text: try row.decode(String.self, column: "text"),
            media: try JSONCoding.decoder.decode([PostMedia].self, from: Data(try row.decode(String.self, column: "media").utf8)),
            status: Post.Status(rawValue: try row.decode(String.self, column: "status")) ?? .draft,
            scheduledAt: try row.decode(Date?.self, column: "scheduled_at"), createdAt: try row.decode(Date.self, column: "created_at"),
            targets: try rows.map(target(from:))
        )
    }

    private static func target(from row: PostgresRow) throws -> PostTarget {
        PostTarget(
            id: try row.decode(UUID.self, column: "id"), platform: try row.decode(String.self, column: "platform"),
            status: PostTarget.Status(rawValue: try row.decode(String.self, column: "status")) ?? .failed,
            preview: try JSONCoding.decoder.decode(PostPreview.self, from: Data(try row.decode(String.self, column: "preview").utf8)),
            remoteID: try row.decode(String?.self, column: "remote_id"), remoteURL: try row.decode(String?.self, column: "remote_url"),
            attempts: try row.decode(Int.self, column: "attempts"), lastError: try row.decode(String?.self, column: "last_error"),
            idempotencyKey: try row.decode(String.self, column: "idempotency_key"), sentAt: try row.decode(Date?.self, column: "sent_at"),
            publishedAt: try row.decode(Date?.self, column: "published_at")
        )
    }
}
