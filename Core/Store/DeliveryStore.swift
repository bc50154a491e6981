public import Foundation

/// What was handed to which channel, piece by piece, and what the channel said became of it.
public struct DeliveryStore: Sendable {
    private let pool: PostgresPool

    /// Creates a store over the server's pool.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// A piece's delivery state: Leopost's own (`sending`, `unconfirmed`, `failed` when it gave
    /// up), then what the channel reports (WhatsApp's sent, delivered, read, failed).
    public enum Status: String, Sendable, Codable {
        /// Being handed to the channel; found so by a later attempt, the call's outcome is unknown.
        case sending
        /// The channel took it.
        case sent
        /// Handed to the channel by an attempt that never heard back: it may have arrived, and is
        /// not sent again (a duplicate in someone's chat is the worse failure).
        case unconfirmed
        /// It reached the person's device.
        case delivered
        /// The person read it.
        case read
        /// The channel, or Leopost, gave up on it; a replayed delivery sends it again.
        case failed
    }

    /// The recorded pieces of `messageID`, by index.
    public func pieces(of messageID: UUID, tenant: TenantID) async throws -> [Int: Status] {
        let rows = try await pool.tenantQuery(tenant.rawValue, "SELECT piece, status FROM message_deliveries WHERE message_id = \(messageID)")
        return Dictionary(
            try rows.map { (try $0.decode(Int.self, column: "piece"), Status(rawValue: try $0.decode(String.self, column: "status")) ?? .sent) }
        ) { first, _ in first }
    }

    /// Records that piece `piece` of `messageID` is about to be handed to the channel (again, after
    /// a failure recorded by ``recordFailed(pieces:of:channel:reason:tenant:)``).
    public func beginSending(piece: Int, of messageID: UUID, channel: String, tenant: TenantID) async throws {
        _ = try await pool.tenantQuery(
            tenant.rawValue,
            """
            INSERT INTO message_deliveries (tenant_id, message_id, piece, channel, status)
            VALUES (\(tenant.rawValue), \(messageID), \(piece), \(channel), 'sending')
            ON CONFLICT (tenant_id, message_id, piece) DO UPDATE SET status = 'sending', error = NULL, updated_at = now()
            WHERE message_deliveries.status = 'failed'
            """
        )
    }

    /// Forgets a `sending` mark when the channel's answer proved the piece was not taken (a rate
    /// limit, a refusal, no connection): the next attempt sends it.
    public func abandonSending(piece: Int, of messageID: UUID, tenant: TenantID) async throws {
        _ = try await pool.tenantQuery(
            tenant.rawValue, "DELETE FROM message_deliveries WHERE message_id = \(messageID) AND piece = \(piece) AND status = 'sending'")
    }

    /// Turns the `sending` marks among `pieces` into `unconfirmed`, with why.
    public func markUnconfirmed(pieces: [Int], of messageID: UUID, reason: String, tenant: TenantID) async throws {
        _ = try await pool.tenantQuery(
            tenant.rawValue,
            """
            UPDATE message_deliveries SET status = 'unconfirmed', error = \(reason), updated_at = now()
            WHERE message_id = \(messageID) AND piece = ANY(\("{" + pieces.map(String.init).joined(separator: ",") + "}")::int[])
              AND status = 'sending'
            """
        )
    }

    /// Records that the pieces `0..<pieces` of `messageID` not yet taken by the channel will not be
    /// sent: `failed` with `reason`; a piece left `sending` becomes `unconfirmed`.
    public func recordFailed(pieces: Int, of messageID: UUID, channel: String, reason: String, tenant: TenantID) async throws {
        guard pieces > 0 else { return }
        _ = try await pool.tenantStatements(
            tenant.rawValue,
            [
                """
                UPDATE message_deliveries SET status = 'unconfirmed', error = \(reason), updated_at = now()
                WHERE message_id = \(messageID) AND status = 'sending'
                """,
                """
                INSERT INTO message_deliveries (tenant_id, message_id, piece, channel, status, error)
                SELECT \(tenant.rawValue), \(messageID), piece, \(channel), 'failed', \(reason) FROM generate_series(0, \(pieces - 1)) AS piece
                ON CONFLICT (tenant_id, message_id, piece) DO NOTHING
                """,
            ])
    }

    /// Records that piece `piece` of `messageID` was sent, with the channel's id for it.
    public func recordSent(piece: Int, of messageID: UUID, channel: String, externalID: String, tenant: TenantID) async throws {
        _ = try await pool.tenantQuery(
            tenant.rawValue,
            """
            INSERT INTO message_deliveries (tenant_id, message_id, piece, channel, external_id)
            VALUES (\(tenant.rawValue), \(messageID), \(piece), \(channel), \(externalID))
            ON CONFLICT (tenant_id, message_id, piece) DO UPDATE SET status = 'sent', external_id = excluded.external_id, error = NULL,
                updated_at = now()
            WHERE message_deliveries.status IN ('sending', 'failed')
            """
        )
    }

    /// Applies a status the channel reported for its message `externalID`; returns whether a
    /// delivery matched. A status never goes back (a late `delivered` after `read` is ignored),
    /// except to `failed`.
    @discardableResult
    public func update(externalID: String, channel: String, to status: Status, error: String?, tenant: TenantID) async throws -> Bool {
        try await pool.tenantQuery(
            tenant.rawValue,
            """
            UPDATE message_deliveries SET status = \(status.rawValue), error = \(error), updated_at = now()
            WHERE channel = \(channel) AND external_id = \(externalID)
              AND (\(status.rawValue) = 'failed'
                   OR array_position(ARRAY['sent', 'delivered', 'read'], status) < array_position(ARRAY['sent', 'delivered', 'read'], \(status.rawValue)::text))
            """
        ).rowsAffected > 0
    }

    /// The message a channel's id belongs to (a reaction names the message it reacts to this way).
    public func message(forExternalID externalID: String, channel: String, tenant: TenantID) async throws -> UUID? {
        try await pool.tenantQuery(
            tenant.rawValue, "SELECT message_id FROM message_deliveries WHERE channel = \(channel) AND external_id = \(externalID) LIMIT 1"
        )
        .first.map { try $0.decode(UUID.self, column: "message_id") }
    }

    /// The deliveries of `messageID`, by piece: the channel's id and status.
    public func deliveries(of messageID: UUID, tenant: TenantID) async throws -> [(piece: Int, externalID: String, status: Status, error: String?)] {
        try await pool.tenantQuery(
            tenant.rawValue, "SELECT piece, external_id, status, error FROM message_deliveries WHERE message_id = \(messageID) ORDER BY piece"
        )
        .map {
            (
                try $0.decode(Int.self, column: "piece"), try $0.decode(String.self, column: "external_id"),
                Status(rawValue: try $0.decode(String.self, column: "status")) ?? .sent, try $0.decode(String?.self, column: "error")
            )
        }
    }
}
