public import Foundation
public import Logging

/// The `delivery` stage: sends finished answers to channels that do not stream (Telegram,
/// WhatsApp, email), through their `ChannelAdapter`.
///
/// An answer is formatted into pieces within the channel's limit and sent piece by piece, in
/// order. Each piece sent is recorded in Redis under the answer's id before the job is acked, so a
/// retry (after a rate limit, a network failure or a crash) sends only what is missing: every
/// piece goes out exactly once. A channel's `Retry-After` delays the retry; a refusal that no retry
/// can fix dead-letters the job with the channel's reason.
public struct DeliveryStage: StageHandler {
    /// The stage's name for `leopost worker --stages`.
    public static let stage = "delivery"

    private let adapters: [String: any ChannelAdapter]
    private let redis: RedisClient
    private let conversations: ConversationStore
    private let logger: Logger

    /// How long the record of sent pieces is kept: longer than any retry schedule.
    static let sentRecordLifetime = 7 * 86_400

    /// Creates the stage for `adapters` (by their `kind`).
    public init(adapters: [any ChannelAdapter], redis: RedisClient, conversations: ConversationStore, logger: Logger) {
        self.adapters = Dictionary(adapters.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
        self.redis = redis
        self.conversations = conversations
        self.logger = logger
    }

    /// The Redis hash of pieces already sent for an answer: piece index → the channel's id for it.
    public static func sentKey(_ messageID: UUID) -> String {
        "{lp:delivery}:sent:\(messageID.uuidString.lowercased())"
    }

    public func handle(_ job: StageJob) async throws {
        let message: OutboundMessage
        do { message = try job.decodePayload(as: OutboundMessage.self) } catch {
            throw StageFailure.permanent("not an outbound message: \(error)")
        }
        guard let adapter = adapters[message.channel] else {
            throw StageFailure.permanent("no adapter for the channel \(message.channel) in this worker")
        }
        let pieces = adapter.format(message)
        let key = Self.sentKey(message.messageID)
        let sent = Set((try await redis.send(RedisCommand("HKEYS", key)).array ?? []).compactMap { $0.string.flatMap(Int.init) })
        for (index, piece) in pieces.enumerated() where !sent.contains(index) {
            let receipt: DeliveryReceipt
            do {
                receipt = try await adapter.send([piece], for: message, idempotencyKey: "\(message.messageID):\(index)")
            } catch let error as ChannelError where !error.isRetryable {
                throw StageFailure.permanent("\(message.channel) refused piece \(index + 1) of \(pieces.count): \(error)")
            }
            _ = try await redis.pipeline([
                RedisCommand("HSET", key, index, receipt.externalIDs.first ?? ""),
                RedisCommand("EXPIRE", key, Self.sentRecordLifetime),
            ])
        }
        try await conversations.markDelivered(message.messageID, tenant: message.tenantID)
        logger.debug("answer delivered", metadata: ["leopost.message.id": "\(message.messageID)", "leopost.pieces": "\(pieces.count)"])
    }
}
