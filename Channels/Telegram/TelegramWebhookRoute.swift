import Foundation
import HTTPTypes
public import Hummingbird
public import LeopostCore
import Logging
import NIOCore

/// `POST /hooks/telegram/{connection}`: Telegram's webhook.
///
/// The `X-Telegram-Bot-Api-Secret-Token` header must equal the connection's secret (compared in
/// constant time) or the answer is 401 and nothing is queued. Messages, edited messages and
/// callback queries are handled; any other update, or a body that is not an update, is answered
/// 200 and logged, so Telegram does not retry it forever. An `update_id` is accepted once. When
/// Redis or PostgreSQL cannot take the message the answer is 503, and Telegram's retry is answered
/// once.
public struct TelegramWebhookRoute: Sendable {
    private let connections: ChannelConnectionCache
    private let inbox: ChannelInbox
    private let http: HTTPClient
    private let configuration: MessagingConfiguration
    private let maxBodyBytes: Int

    /// Creates the route.
    public init(connections: ChannelConnectionCache, inbox: ChannelInbox, http: HTTPClient, configuration: MessagingConfiguration, maxBodyBytes: Int)
    {
        self.connections = connections
        self.inbox = inbox
        self.http = http
        self.configuration = configuration
        self.maxBodyBytes = maxBodyBytes
    }

    /// Adds the route to the public (unauthenticated) router.
    public func register(on router: Router<GatewayContext>) {
        router.post("hooks/telegram/:connection") { request, context -> Response in
            let connection = try await MessagingWebhooks.connection(context, channel: TelegramChannel.kind, store: connections)
            let secret = request.headers[Self.secretHeader] ?? ""
            guard let expected = connection.credentials["secret_token"], ConstantTime.equals(Array(secret.utf8), Array(expected.utf8)) else {
                throw APIError.unauthorized("the X-Telegram-Bot-Api-Secret-Token header does not match this connection")
            }
            let body = try await request.body.collect(upTo: maxBodyBytes)
            guard let update = try? JSONDecoder().decode(TelegramUpdate.self, from: Data(body.readableBytesView)) else {
                context.logger.notice("telegram webhook: not an update; ignored", metadata: ["leopost.connection.id": "\(connection.id)"])
                return MessagingWebhooks.ok
            }
            try await MessagingWebhooks.unavailableWhenStoresAre { try await handle(update, connection: connection, logger: context.logger) }
            return MessagingWebhooks.ok
        }
    }

    static let secretHeader = HTTPField.Name("X-Telegram-Bot-Api-Secret-Token")!

    private func handle(_ update: TelegramUpdate, connection: ChannelConnection, logger: Logger) async throws {
        let api = TelegramBotAPI(http: http, baseURL: configuration.telegramAPIBaseURL, token: connection.credentials["bot_token"] ?? "")
        if let query = update.callbackQuery {
            // The Confirm and Cancel buttons under a post preview; the answer shows as a notice in the app.
            guard let data = query.data, let (decision, post) = PostDecision.parse(data), let chat = query.message?.chat.id else {
                try? await api.answerCallbackQuery(query.id, text: "This button is no longer active.")
                return
            }
            let press = InboundMessage(
                channel: TelegramChannel.kind, connectionID: connection.id, senderID: String(query.from.id), threadID: String(chat),
                externalID: "\(connection.id):\(update.updateID)", parts: [])
            let answer = try await inbox.decide(decision, post: post, from: press, through: connection)
            try? await api.answerCallbackQuery(query.id, text: answer)
            return
        }
        let edited = update.message == nil
        guard let message = update.message ?? update.editedMessage, let sender = message.from else {
            logger.info("telegram webhook: an update of another kind; ignored", metadata: ["leopost.telegram.update": "\(update.updateID)"])
            return
        }
        var parts: [MessagePart] = []
        if let text = message.text { parts.append(.text(edited ? "(edited) \(text)" : text)) }
        if let photo = message.photo?.max(by: { ($0.width ?? 0) < ($1.width ?? 0) }) {
            parts.append(.media(MediaReference(kind: "image", reference: photo.fileID, mimeType: nil, caption: message.caption)))
        }
        if let document = message.document {
            parts.append(.media(MediaReference(kind: "document", reference: document.fileID, mimeType: document.mimeType, caption: message.caption)))
        }
        guard !parts.isEmpty else {
            logger.info(
                "telegram webhook: a message with nothing Leopost reads; ignored", metadata: ["leopost.telegram.update": "\(update.updateID)"])
            return
        }
        let inbound = InboundMessage(
            channel: TelegramChannel.kind, connectionID: connection.id, senderID: String(sender.id), threadID: String(message.chat.id),
            externalID: "\(connection.id):\(update.updateID)", parts: parts
        )
        if case .accepted(_, isNew: true) = try await inbox.receive(inbound, through: connection) {
            try? await api.sendTyping(chatID: String(message.chat.id))
        }
    }
}
