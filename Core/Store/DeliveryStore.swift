public import Foundation

/// What was handed to which channel, piece by piece, and what the channel said became of it.
public struct DeliveryStore: Sendable {
    private let pool: PostgresPool

    /// Creates a store over the server's pool.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// A delivery state a channel reports.
    public enum Status: String, Sendable, Codable {
        /// The channel took it.
        case sent
        /// It reached the person's device.
        case delivered
        /// The person read it.
        case read
        /// The channel gave up on it.
        case failed
    }

    /// The pieces of `messageID` already sent.
    public func sentPieces(of messageID: UUID, tenant: TenantID) async throws -> Set<Int> {
        try await pool.withTenantTransaction(tenant.rawValue) { connection in
            Set(
                try connection.query("SELECT piece FROM message_deliveries WHERE message_id = \(messageID)").map {
                    try $0.decode(Int.self, column: "piece")
                })
        }
    }

    /// Records that piece `piece` of `messageID` was sent, with the channel's id for it.
    public func recordSent(piece: Int, of messageID: UUID, channel: String, externalID: String, tenant: TenantID) async throws {
        _ = try await pool.tenantQuery(
            tenant.rawValue,
            """
            INSERT INTO message_deliveries (tenant_id, message_id, piece, channel, external_id)
            VALUES (\(tenant.rawValue), \(messageID), \(piece), \(channel), \(externalID))
            ON CONFLICT (tenant_id, message_id, piece) DO NOTHING
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
