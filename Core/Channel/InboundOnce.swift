/// Handles each external event once, across processes and redeliveries: a Telegram `update_id`
/// of any kind (a message, a button press), a WhatsApp message id.
///
/// The key is claimed with `SET NX` before the work and kept for a day (longer than any channel
/// retries); when the work throws, the claim is released, so the redelivery the channel sends
/// after the failure (a 503) is handled instead of being skipped.
public struct InboundOnce: Sendable {
    private let redis: RedisClient
    /// How long a handled event is remembered, in seconds.
    public static let window = 86_400

    /// Creates the ledger on the shared Redis.
    public init(redis: RedisClient) {
        self.redis = redis
    }

    static func key(_ channel: String, connection: String, event: String) -> String { "{lp:inbound:\(connection)}:\(channel):\(event)" }

    /// Runs `body` unless the event was handled (or is being handled) already.
    /// - Returns: `false` when the event was a duplicate and `body` did not run.
    @discardableResult
    public func run(channel: String, connection: String, event: String, _ body: () async throws -> Void) async throws -> Bool {
        let key = Self.key(channel, connection: connection, event: event)
        guard try await redis.send(RedisCommand("SET", key, "1", "NX", "EX", Self.window)).string == "OK" else { return false }
        do {
            try await body()
        } catch {
            _ = try? await redis.send(RedisCommand("DEL", key))
            throw error
        }
        return true
    }
}
