/// Handles each external event once, across processes and redeliveries: a Telegram `update_id`
/// of any kind (a message, a button press), a WhatsApp message id.
///
/// The key is claimed with `SET NX` as *pending* for a short while before the work, and marked
/// *done* for a day (longer than any channel retries) once the work is recorded. A redelivery of
/// a done event is skipped; one that arrives while the event is pending is told to come again
/// (``InProgress``, a 503 to a webhook), and so is the redelivery after a process died mid-work:
/// its pending claim runs out and the event is handled then, never lost. When the work throws, the
/// claim is released at once.
public struct InboundOnce: Sendable {
    private let redis: RedisClient
    private let pendingTimeout: Duration
    /// How long a handled event is remembered, in seconds.
    public static let window = 86_400

    /// The event is being handled by another delivery (or was, by a process that stopped): retry later.
    public struct InProgress: Error, Sendable, CustomStringConvertible {
        /// The event's key.
        public let event: String
        public var description: String { "the event \(event) is being handled already; deliver it again later" }
    }

    /// Creates the ledger on the shared Redis.
    /// - Parameter pendingTimeout: how long a claim holds without being marked done: longer than
    ///   handling one event takes, short enough that a crashed process's event comes back soon.
    public init(redis: RedisClient, pendingTimeout: Duration = .seconds(60)) {
        self.redis = redis
        self.pendingTimeout = pendingTimeout
    }

    static func key(_ channel: String, connection: String, event: String) -> String { "{lp:inbound:\(connection)}:\(channel):\(event)" }

    /// Runs `body` unless the event was handled already.
    /// - Returns: `false` when the event was handled before and `body` did not run.
    /// - Throws: ``InProgress`` while another delivery holds the event; whatever `body` throws.
    @discardableResult
    public func run(channel: String, connection: String, event: String, _ body: () async throws -> Void) async throws -> Bool {
        let key = Self.key(channel, connection: connection, event: event)
        let pending = max(1, Int(pendingTimeout.components.seconds))
        guard try await redis.send(RedisCommand("SET", key, "pending", "NX", "EX", pending)).string == "OK" else {
            if try await redis.send(RedisCommand("GET", key)).string == "done" { return false }
            throw InProgress(event: event)
        }
        do {
            try await body()
        } catch {
            _ = try? await redis.send(RedisCommand("DEL", key))
            throw error
        }
        _ = try await redis.send(RedisCommand("SET", key, "done", "EX", Self.window))
        return true
    }
}
