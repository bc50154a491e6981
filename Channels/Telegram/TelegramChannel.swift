import Foundation
public import LeopostCore

/// Telegram as a channel: answers become HTML (`TelegramFormatter`) in pieces of at most 4,096
/// characters, sent with `sendMessage` through the connection's bot.
public struct TelegramChannel: ChannelAdapter {
    /// The channel's name on conversations and messages.
    public static let kind = "telegram"

    private let connections: ChannelConnectionStore
    private let http: HTTPClient
    private let baseURL: String

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
        TelegramFormatter().pieces(message.parts.plainText)
    }

    public func send(_ pieces: [String], for message: OutboundMessage, idempotencyKey: String) async throws -> DeliveryReceipt {
        let api = try await bot(for: message)
        var ids: [String] = []
        for piece in pieces { ids.append(String(try await api.sendMessage(chatID: message.recipient, html: piece))) }
        return DeliveryReceipt(externalIDs: ids)
    }

    /// The bot of the message's connection.
    func bot(for message: OutboundMessage) async throws -> TelegramBotAPI {
        guard let id = message.connectionID, let connection = try await connections.connection(id, tenant: message.tenantID),
            let token = connection.credentials["bot_token"]
        else { throw ChannelError(code: .rejected, message: "the Telegram connection of this conversation no longer exists") }
        return TelegramBotAPI(http: http, baseURL: baseURL, token: token)
    }
}
