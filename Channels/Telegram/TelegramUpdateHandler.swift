public import Foundation
public import LeopostCore
public import Logging

/// What Leopost does with one Telegram update, however it arrived (webhook or long polling), in
/// the intake stage: messages and edited messages (text, photos, documents) go to the inbox, a
/// press on a post preview's button confirms or cancels the post, anything else is logged and
/// ignored. The webhook and the poller queue each `update_id` once, whatever its kind; one from a
/// bot gets no reply of any kind (two bots in a group must not answer each other for ever).
public struct TelegramUpdateHandler: InboundEventHandling {
    private let inbox: ChannelInbox
    private let http: HTTPClient
    private let configuration: MessagingConfiguration

    /// Creates the handler.
    public init(inbox: ChannelInbox, http: HTTPClient, configuration: MessagingConfiguration) {
        self.inbox = inbox
        self.http = http
        self.configuration = configuration
    }

    public var channel: String { TelegramChannel.kind }

    public func handle(_ payload: Data, connection: ChannelConnection, logger: Logger) async throws {
        try await handle(try event(TelegramUpdate.self, in: payload), connection: connection, logger: logger)
    }

    /// Handles `update` from `connection`. Returning means it is recorded (or deliberately
    /// ignored); throwing means it was not, and the stage runs it again.
    func handle(_ update: TelegramUpdate, connection: ChannelConnection, logger: Logger) async throws {
        if update.sender?.isBot == true {
            logger.info("telegram: an update from a bot; ignored", metadata: [LogKey.telegramUpdate: "\(update.updateID)"])
            return
        }
        let api = TelegramBotAPI(http: http, baseURL: configuration.telegramAPIBaseURL, token: connection.credentials["bot_token"] ?? "")
        if let query = update.callbackQuery {
            // The Confirm and Cancel buttons under a post preview; the answer shows as a notice in the app.
            guard let data = query.data, let (decision, post) = PostDecision.parse(data), let chat = query.message?.chat.id else {
                try? await api.answerCallbackQuery(query.id, text: ChannelInbox.staleButtonText)
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
            logger.info("telegram: an update of another kind; ignored", metadata: [LogKey.telegramUpdate: "\(update.updateID)"])
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
            logger.info("telegram: a message with nothing Leopost reads; ignored", metadata: [LogKey.telegramUpdate: "\(update.updateID)"])
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
