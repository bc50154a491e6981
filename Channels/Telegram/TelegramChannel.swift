import Foundation
public import LeopostCore

/// Telegram as a channel: answers become HTML (`TelegramFormatter`) in pieces of at most 4,096
/// characters, sent with `sendMessage` through the connection's bot.
public struct TelegramChannel: ChannelAdapter {
    /// The channel's name on conversations and messages.
    public static let kind = "telegram"

    let connections: ChannelConnectionStore
    let http: HTTPClient
    let baseURL: String

    /// Creates the adapter.
    public init(connections: ChannelConnectionStore, http: HTTPClient, baseURL: String = TelegramBotAPI.defaultBaseURL) {
        self.connections = connections
        self.http = http
        self.baseURL = baseURL
    }

    public var kind: String { Self.kind }

    public var capabilities: ChannelCapabilities {
        ChannelCapabilities(maxMessageLength: TelegramFormatter.messageLimit, markup: .html, canEditSentMessage: true, canStream: false)
    }

    public func format(_ message: OutboundMessage) -> [String] {
        if let preview = message.parts.postPreview { return TelegramFormatter().pieces(Self.previewText(preview)) }
        return TelegramFormatter().pieces(message.parts.plainText)
    }

    /// Sends the pieces; the last piece of a post preview carries the Confirm and Cancel buttons.
    /// (The delivery stage sends one piece per call, so "last" is judged against the whole message.)
    public func send(_ pieces: [String], for message: OutboundMessage, idempotencyKey: String) async throws -> DeliveryReceipt {
        let api = try await bot(for: message)
        let buttons = message.parts.postPreview.map(Self.buttons(for:)) ?? []
        let last = buttons.isEmpty ? nil : format(message).last
        var ids: [String] = []
        for piece in pieces {
            ids.append(String(try await api.sendMessage(chatID: message.recipient, html: piece, buttons: piece == last ? buttons : [])))
        }
        return DeliveryReceipt(externalIDs: ids)
    }

    /// Replaces a sent piece's text (`editMessageText`), for the answer shown while it grows.
    public func edit(_ piece: String, externalID: String, for message: OutboundMessage) async throws {
        guard let id = Int64(externalID) else { throw ChannelError(code: .rejected, message: "not a Telegram message id: \(externalID)") }
        try await bot(for: message).editMessageText(chatID: message.recipient, messageID: id, html: piece)
    }

    /// What a post preview says in the chat, before the buttons.
    static func previewText(_ preview: PostPreviewPart) -> String {
        "Draft for \(preview.platform):\n\n\(preview.text)\n\nPublish it?"
    }

    static func buttons(for preview: PostPreviewPart) -> [(text: String, data: String)] {
        [("Confirm", PostDecision.confirm.buttonData(for: preview.postID)), ("Cancel", PostDecision.cancel.buttonData(for: preview.postID))]
    }

    /// The bot of the message's connection.
    func bot(for message: OutboundMessage) async throws -> TelegramBotAPI {
        guard let bot = try await bot(connectionID: message.connectionID, tenant: message.tenantID) else {
            throw ChannelError(code: .rejected, message: "the Telegram connection of this conversation no longer exists")
        }
        return bot
    }

    /// The bot of connection `id`, or `nil` when it no longer exists.
    func bot(connectionID id: UUID?, tenant: TenantID) async throws -> TelegramBotAPI? {
        guard let id, let connection = try await connections.connection(id, tenant: tenant), let token = connection.credentials["bot_token"]
        else { return nil }
        return TelegramBotAPI(http: http, baseURL: baseURL, token: token)
    }
}
