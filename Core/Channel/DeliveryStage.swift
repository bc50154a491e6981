public import Foundation
public import Logging

/// The `delivery` stage: sends finished answers to channels that do not stream (Telegram,
/// WhatsApp, email), through their `ChannelAdapter`.
///
/// An answer is formatted into pieces within the channel's limit and sent piece by piece, in
/// order. Each piece is marked `sending` (`message_deliveries`) before the channel call and
/// recorded as sent, with the channel's id for it, after; so a retry (after a rate limit, a
/// network failure or a crash) sends only what is missing. A piece an earlier attempt left
/// `sending` (no answer came: a timeout, a crash mid-call) may have arrived and is recorded as
/// `unconfirmed`, never sent twice. A channel's `Retry-After` delays the retry; a refusal that no
/// retry can fix dead-letters the job with the channel's reason, and the pieces that did not go
/// out are recorded as `failed`.
///
/// On channels that can edit a sent message, partial deliveries (the answer so far, queued by the
/// router while it streams) show one message that grows; the final delivery edits it into the
/// answer's first piece and sends the rest; when that edit is refused (the person deleted the
/// draft), the first piece is sent as a new message.
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
        let recorded = try await settleUnsure(message)
        // The message that showed the answer while it was produced becomes its first piece.
        let draft = recorded[0] != nil || !adapter.capabilities.canEditSentMessage ? nil : try await drafts?.externalID(of: message.messageID)
        for (index, piece) in pieces.enumerated() where recorded[index] == nil || recorded[index] == .failed {
            try await deliveries.beginSending(piece: index, of: message.messageID, channel: message.channel, tenant: message.tenantID)
            let externalID: String
            do {
                externalID = try await hand(piece, index: index, of: message, draft: index == 0 ? draft : nil, through: adapter)
            } catch let error as ChannelError where error.code != .unknownOutcome {
                // The channel answered, or was never reached: the piece did not go out, and the next attempt sends it.
                try await deliveries.abandonSending(piece: index, of: message.messageID, tenant: message.tenantID)
                guard error.isRetryable else {
                    throw StageFailure.permanent("\(message.channel) refused piece \(index + 1) of \(pieces.count): \(error)")
                }
                throw error
            }
            try await deliveries.recordSent(
                piece: index, of: message.messageID, channel: message.channel, externalID: externalID, tenant: message.tenantID
            )
        }
        if draft != nil { try await drafts?.remove(message.messageID) }
        try await conversations.markDelivered(message.messageID, tenant: message.tenantID)
        logger.debug("answer delivered", metadata: [LogKey.messageID: "\(message.messageID)", LogKey.pieces: "\(pieces.count)"])
    }

    /// Hands one piece to the channel: as an edit of `draft` when there is one, else as a message
    /// of its own; returns the channel's id of it. An edit may be repeated (it shows the same text
    /// twice at worst), so an edit without an answer is reported as unavailable, not unknown; an
    /// edit refused (the person deleted the draft) falls back to sending the piece anew.
    private func hand(
        _ piece: String, index: Int, of message: OutboundMessage, draft: String?, through adapter: any ChannelAdapter
    ) async throws -> String {
        if let draft {
            do {
                try await adapter.edit(piece, externalID: draft, for: message)
                return draft
            } catch let error as ChannelError where error.code == .rejected {
                logger.info(
                    "draft not editable; sending the piece anew", metadata: [LogKey.messageID: "\(message.messageID)", LogKey.error: "\(error)"])
            } catch let error as ChannelError where error.code == .unknownOutcome {
                throw ChannelError(code: .unavailable, message: error.message)
            }
        }
        return try await adapter.send([piece], for: message, idempotencyKey: "\(message.messageID):\(index)").externalIDs.first ?? ""
    }

    /// The pieces recorded so far, after turning each left `sending` (an earlier attempt handed it
    /// to the channel and never heard back: a timeout, a crash) into `unconfirmed`. Neither chat
    /// app can be asked whether a message arrived, so the risk is taken on the side of a missing
    /// piece, recorded where an operator sees it, rather than a repeated one in the person's chat.
    private func settleUnsure(_ message: OutboundMessage) async throws -> [Int: DeliveryStore.Status] {
        var recorded = try await deliveries.pieces(of: message.messageID, tenant: message.tenantID)
        let unsure = recorded.filter { $0.value == .sending }.map(\.key).sorted()
        guard !unsure.isEmpty else { return recorded }
        logger.warning(
            "pieces handed to the channel without an answer; recorded as unconfirmed, not sent again",
            metadata: [LogKey.messageID: "\(message.messageID)", LogKey.pieces: "\(unsure)"])
        try await deliveries.markUnconfirmed(
            pieces: unsure, of: message.messageID, reason: "sent without an answer from \(message.channel); it may not have arrived",
            tenant: message.tenantID)
        for piece in unsure { recorded[piece] = .unconfirmed }
        return recorded
    }

    /// Records the pieces that will not go out as `failed`, so the message's history says what the
    /// person never received; the reason stays in the log and the dead letter.
    public func deadLettered(_ job: StageJob, reason: String) async throws {
        guard let message = try? job.decodePayload(as: OutboundMessage.self), message.partial != true,
            let adapter = adapters[message.channel]
        else { return }
        let pieces = adapter.format(message).count
        logger.error("delivery given up", metadata: [LogKey.messageID: "\(message.messageID)", LogKey.error: "\(reason)"])
        try await deliveries.recordFailed(
            pieces: pieces, of: message.messageID, channel: message.channel, reason: "Leopost gave up delivering this piece", tenant: message.tenantID
        )
    }

    /// Shows the answer so far: its first piece, in one message sent once and then edited. A
    /// refusal is logged and the answer still arrives whole; a rate limit is waited out like any
    /// send's; a partial that comes after the answer was delivered does nothing.
    private func showPartial(_ message: OutboundMessage, through adapter: any ChannelAdapter) async throws {
        guard adapter.capabilities.canEditSentMessage, let drafts, let piece = adapter.format(message).first else { return }
        guard try await deliveries.pieces(of: message.messageID, tenant: message.tenantID).isEmpty else { return }
        do {
            if let draft = try await drafts.externalID(of: message.messageID) {
                try await adapter.edit(piece, externalID: draft, for: message)
            } else if let id = try await adapter.send([piece], for: message, idempotencyKey: "\(message.messageID):draft").externalIDs.first {
                try await drafts.record(id, of: message.messageID)
            }
        } catch let error as ChannelError where !error.isRetryable || error.code == .unknownOutcome {
            // A draft sent without an answer is not sent again (it would show twice); the answer arrives whole all the same.
            logger.info("partial answer not shown", metadata: [LogKey.messageID: "\(message.messageID)", LogKey.error: "\(error)"])
        }
        // A rate limit is thrown: the retry waits for it, and the answer, queued behind, waits too.
    }
}
