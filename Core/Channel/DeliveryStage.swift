public import Foundation
public import Logging

/// The `delivery` stage: sends finished answers to channels that do not stream (Telegram,
/// WhatsApp, email), through their `ChannelAdapter`.
///
/// An answer is formatted into pieces within the channel's limit and sent piece by piece, in
/// order. Each piece sent is recorded (`message_deliveries`, with the channel's id for it) before the
/// next is sent and before the job is acked, so a retry (after a rate limit, a network failure or a
/// crash) sends only what is missing: every piece goes out once. Only a crash between the channel
/// accepting a piece and the record being written can repeat that one piece. A channel's `Retry-After` delays the retry; a refusal that no retry
/// can fix dead-letters the job with the channel's reason.
public struct DeliveryStage: StageHandler {
    /// The stage's name for `leopost worker --stages`.
    public static let stage = "delivery"

    private let adapters: [String: any ChannelAdapter]
    private let deliveries: DeliveryStore
    private let conversations: ConversationStore
    private let logger: Logger

    /// Creates the stage for `adapters` (by their `kind`).
    public init(adapters: [any ChannelAdapter], deliveries: DeliveryStore, conversations: ConversationStore, logger: Logger) {
        self.adapters = Dictionary(adapters.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
        self.deliveries = deliveries
        self.conversations = conversations
        self.logger = logger
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
        let sent = try await deliveries.sentPieces(of: message.messageID, tenant: message.tenantID)
        for (index, piece) in pieces.enumerated() where !sent.contains(index) {
            let receipt: DeliveryReceipt
            do {
                receipt = try await adapter.send([piece], for: message, idempotencyKey: "\(message.messageID):\(index)")
            } catch let error as ChannelError where !error.isRetryable {
                throw StageFailure.permanent("\(message.channel) refused piece \(index + 1) of \(pieces.count): \(error)")
            }
            try await deliveries.recordSent(
                piece: index, of: message.messageID, channel: message.channel, externalID: receipt.externalIDs.first ?? "", tenant: message.tenantID
            )
        }
        try await conversations.markDelivered(message.messageID, tenant: message.tenantID)
        logger.debug("answer delivered", metadata: ["leopost.message.id": "\(message.messageID)", "leopost.pieces": "\(pieces.count)"])
    }
}
