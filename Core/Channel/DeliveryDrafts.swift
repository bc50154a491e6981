public import Foundation

/// The message that shows an answer while it is produced, per answer: the channel's id of it, in
/// Redis, so the partial deliveries edit one message and the final delivery turns it into the
/// answer's first piece instead of sending the text again.
public struct DeliveryDrafts: Sendable {
    private let redis: RedisClient
    private let lifetime: Duration

    /// Creates the store; a draft is forgotten `lifetime` after it was last written.
    public init(redis: RedisClient, lifetime: Duration = .seconds(86_400)) {
        self.redis = redis
        self.lifetime = lifetime
    }

    private func key(_ messageID: UUID) -> String { "{lp:delivery-draft}:\(messageID.uuidString.lowercased())" }

    /// The channel's id of the draft of `messageID`, if one was sent.
    public func externalID(of messageID: UUID) async throws -> String? {
        try await redis.send(RedisCommand("GET", key(messageID))).throwingError().string
    }

    /// Records the draft of `messageID`.
    public func record(_ externalID: String, of messageID: UUID) async throws {
        _ = try await redis.send(RedisCommand("SET", key(messageID), externalID, "PX", Int(lifetime.milliseconds))).throwingError()
    }

    /// Forgets the draft once the answer is delivered.
    public func remove(_ messageID: UUID) async throws {
        _ = try await redis.send(RedisCommand("DEL", key(messageID))).throwingError()
    }
}
