/// One channel (web, Telegram, WhatsApp, email): how answers are shaped for it and sent through it.
///
/// Inbound, each channel turns its own webhook or request into `InboundMessage`s in its routes and
/// hands them to `ConversationIntake`; outbound, the delivery stage asks the adapter to format an
/// answer within its limits and to send the pieces. Core knows channels only through this protocol.
public protocol ChannelAdapter: Sendable {
    /// The channel's name, as stored on conversations and messages.
    var kind: String { get }
    /// What the channel can do.
    var capabilities: ChannelCapabilities { get }
    /// The pieces to send for `message`, each within the channel's limit, in order.
    func format(_ message: OutboundMessage) -> [String]
    /// Sends the pieces. `idempotencyKey` is stable across retries of the same piece list, for
    /// channels whose API can use one.
    /// - Throws: `ChannelError`, so the delivery stage can wait, retry or give up.
    func send(_ pieces: [String], for message: OutboundMessage, idempotencyKey: String) async throws -> DeliveryReceipt
    /// Replaces the text of a piece sent before (`externalID` from its receipt), on channels that
    /// can edit (`capabilities.canEditSentMessage`). Replacing a text with the same text succeeds.
    /// - Throws: `ChannelError`.
    func edit(_ piece: String, externalID: String, for message: OutboundMessage) async throws
}

extension ChannelAdapter {
    /// Channels that cannot edit refuse, so the delivery stage sends a new message instead.
    public func edit(_ piece: String, externalID: String, for message: OutboundMessage) async throws {
        throw ChannelError(code: .rejected, message: "the \(kind) channel cannot edit a sent message")
    }

    /// Plain text split at the channel's limit on paragraph, line, sentence or word boundaries.
    public func format(_ message: OutboundMessage) -> [String] {
        TextSplitter(limit: capabilities.maxMessageLength).split(message.parts.plainText)
    }
}
