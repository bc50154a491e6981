import Foundation
public import LeopostCore
public import Logging

/// What Leopost does with one Telegram update, however it arrived (webhook or long polling):
/// messages and edited messages (text, photos, documents) go to the inbox, a press on a post
/// preview's button confirms or cancels the post, anything else is logged and ignored.
public struct TelegramUpdateHandler: Sendable {
    private let inbox: ChannelInbox
    let http: HTTPClient
    private let configuration: MessagingConfiguration

    /// Creates the handler.
    public init(inbox: ChannelInbox, http: HTTPClient, configuration: MessagingConfiguration) {
        self.inbox = inbox
        self.http = http
        self.configuration = configuration
    }

    /// Handles `update` from `connection`. Returning means it is recorded (or deliberately
    /// ignored); throwing means it was not, and the update must come again.
    func handle(_ update: TelegramUpdate, connection: ChannelConnection, logger: Logger) async throws {
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
            logger.info("telegram: an update of another kind; ignored", metadata: ["leopost.telegram.update": "\(update.updateID)"])
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
            logger.info("telegram: a message with nothing Leopost reads; ignored", metadata: ["leopost.telegram.update": "\(update.updateID)"])
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
