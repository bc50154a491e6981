public import Foundation

/// Thumbs up and down on the assistant's answers, and the recent ones the router shows the model.
public struct FeedbackStore: Sendable {
    private let pool: PostgresPool

    /// Creates a store over the server's pool.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// A rating of an answer.
    public enum Rating: String, Sendable, Codable {
        /// The person liked it.
        case up
        /// The person did not.
        case down
    }

    /// Records `rating` of answer `messageID` by `userID` (one rating per person; a new one replaces it).
    /// - Throws: `StoreError.notFound` when the tenant has no such answer, or it is in another
    ///   person's conversation (another tenant's and another person's look the same).
    public func record(_ rating: Rating, messageID: UUID, userID: UUID?, tenant: TenantID) async throws {
        let stored = try await pool.withTenantTransaction(tenant.rawValue) { connection -> Bool in
            // A person rates only answers in their own conversations; the API key (no user) any of the tenant's.
            let visible = try connection.query(
                """
                SELECT 1 FROM messages m JOIN conversations c ON c.id = m.conversation_id
                WHERE m.id = \(messageID) AND m.direction = 'outbound' AND (\(userID)::uuid IS NULL OR c.user_id = \(userID))
                """)
            guard visible.count == 1 else { return false }
            // One row per (message, user); a NULL user (an API key) gets a fresh row each time.
            try connection.execute("DELETE FROM feedback WHERE message_id = \(messageID) AND user_id IS NOT DISTINCT FROM \(userID)")
            try connection.execute(
                "INSERT INTO feedback (id, tenant_id, message_id, user_id, rating) VALUES (\(UUID.random()), \(tenant.rawValue), \(messageID), \(userID), \(rating.rawValue))"
            )
            return true
        }
        guard stored else { throw StoreError(code: .notFound, message: "no answer \(messageID)") }
    }

    /// A rated answer, as the router uses it for context.
    public struct Signal: Sendable, Equatable {
        /// How it was rated.
        public var rating: Rating
        /// What the answer said.
        public var text: String
    }

    /// The tenant's most recently rated answers, newest first.
    public func recentSignals(tenant: TenantID, limit: Int = 6) async throws -> [Signal] {
        try await pool.withTenantTransaction(tenant.rawValue) { connection in
            try connection.query(
                """
                SELECT f.rating, m.parts::text AS parts FROM feedback f JOIN messages m ON m.id = f.message_id
                ORDER BY f.created_at DESC LIMIT \(limit)
                """
            ).compactMap { row -> Signal? in
                guard let rating = Rating(rawValue: try row.decode(column: "rating")) else { return nil }
                let parts = try JSONCoding.decoder.decode([MessagePart].self, from: Data(try row.decode(String.self, column: "parts").utf8))
                return Signal(rating: rating, text: parts.plainText)
            }
        }
    }
}
