public import Foundation
public import Logging

/// The `delivery` stage: sends finished answers to channels that do not stream (Telegram,
/// WhatsApp, email), through their `ChannelAdapter`.
///
/// An answer is formatted into pieces within the channel's limit and sent piece by piece, in
/// order. Each piece sent is recorded (`message_deliveries`, with the channel's id for it) before the
/// next is sent and before the job is acked, so a retry (after a rate limit, a network failure or a
/// crash) sends only what is missing: every piece goes out once. Only a crash between the channel
/// accepting a piece and the record being written can repeat that one piece. A channel's
/// `Retry-After` delays the retry; a refusal that no retry can fix dead-letters the job with the
/// channel's reason.
///
/// On channels that can edit a sent message, partial deliveries (the answer so far, queued by the
/// router while it streams) show one message that grows; the final delivery edits it into the
/// answer's first piece and sends the rest.
public struct DeliveryStage: StageHandler {
    /// The stage's name for `leopost worker --stages`.
    public static let stage = "delivery"

    private let adapters: [String: any ChannelAdapter]
    private let deliveries: DeliveryStore
    private let conversations: ConversationStore
    private let drafts: DeliveryDrafts?
    private let logger: Logger

    /// Creates the stage for `adapters` (by their `kind`); with `drafts`, partial answers are
    /// shown as one message edited while the answer is produced.
    public init(
        adapters: [any ChannelAdapter], deliveries: DeliveryStore, conversations: ConversationStore, drafts: DeliveryDrafts? = nil, logger: Logger
    ) {
        self.drafts = drafts
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
        if message.partial == true { return try await showPartial(message, through: adapter) }
        let pieces = adapter.format(message)
        let sent = try await deliveries.sentPieces(of: message.messageID, tenant: message.tenantID)
        // The message that showed the answer while it was produced becomes its first piece.
        let draft = sent.contains(0) || !adapter.capabilities.canEditSentMessage ? nil : try await drafts?.externalID(of: message.messageID)
        for (index, piece) in pieces.enumerated() where !sent.contains(index) {
            let externalID: String
            do {
                if index == 0, let draft {
                    try await adapter.edit(piece, externalID: draft, for: message)
                    externalID = draft
                } else {
                    externalID =
                        try await adapter.send([piece], for: message, idempotencyKey: "\(message.messageID):\(index)").externalIDs.first ?? ""
                }
            } catch let error as ChannelError where !error.isRetryable {
                throw StageFailure.permanent("\(message.channel) refused piece \(index + 1) of \(pieces.count): \(error)")
            }
            try await deliveries.recordSent(
                piece: index, of: message.messageID, channel: message.channel, externalID: externalID, tenant: message.tenantID
            )
        }
        if draft != nil { try await drafts?.remove(message.messageID) }
        try await conversations.markDelivered(message.messageID, tenant: message.tenantID)
        logger.debug("answer delivered", metadata: [LogKey.messageID: "\(message.messageID)", LogKey.pieces: "\(pieces.count)"])
    }

    /// Shows the answer so far: its first piece, in one message sent once and then edited. A
    /// refusal is logged and the answer still arrives whole; a rate limit is waited out like any
    /// send's; a partial that comes after the answer was delivered does nothing.
    private func showPartial(_ message: OutboundMessage, through adapter: any ChannelAdapter) async throws {
        guard adapter.capabilities.canEditSentMessage, let drafts, let piece = adapter.format(message).first else { return }
        guard try await deliveries.sentPieces(of: message.messageID, tenant: message.tenantID).isEmpty else { return }
        do {
            if let draft = try await drafts.externalID(of: message.messageID) {
                try await adapter.edit(piece, externalID: draft, for: message)
            } else if let id = try await adapter.send([piece], for: message, idempotencyKey: "\(message.messageID):draft").externalIDs.first {
                try await drafts.record(id, of: message.messageID)
            }
        } catch let error as ChannelError where !error.isRetryable {
            logger.info("partial answer not shown", metadata: [LogKey.messageID: "\(message.messageID)", LogKey.error: "\(error)"])
        }
        // A rate limit is thrown: the retry waits for it, and the answer, queued behind, waits too.
    }
}
