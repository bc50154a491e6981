public import LeopostCore

/// The web chat as a channel: it streams, so answers reach the person through the conversation's
/// event stream (SSE) and the history, and the delivery stage has nothing to send.
public struct WebChannel: ChannelAdapter {
    /// The channel's name on conversations and messages.
    public static let kind = "web"

    /// Creates the adapter.
    public init() {}

    public var kind: String { Self.kind }

    public var capabilities: ChannelCapabilities {
        ChannelCapabilities(maxMessageLength: WebChatRoutes.maxTextLength, markup: .plain, canEditSentMessage: true, canStream: true)
    }

    /// Nothing to send: the browser already has the answer from the event stream.
    public func send(_ pieces: [String], for message: OutboundMessage, idempotencyKey: String) async throws -> DeliveryReceipt {
        DeliveryReceipt(externalIDs: [])
    }
}
