public import Foundation
public import LeopostCore
public import Logging

/// What Leopost does with one WhatsApp event in the intake stage, as the webhook queued it:
/// - a message (text, image, document, interactive and template button replies) goes to the
///   `ChannelInbox`, stored once per message id;
/// - a press on a post preview's button confirms or cancels the post; a reply to any other
///   button is answered as stale, never passed on as if typed;
/// - a reaction to one of Leopost's answers is feedback (👍 ❤️ 🔥 🙏 up, 👎 down);
/// - a status (sent, delivered, read, failed with its error code) updates the delivery record.
public struct WhatsAppEventHandler: InboundEventHandling {
    private let inbox: ChannelInbox
    private let deliveries: DeliveryStore
    private let feedback: FeedbackStore
    private let identities: IdentityStore

    static let liked: Set<String> = ["👍", "❤️", "❤", "🔥", "🙏", "👏", "😍"]
    static let disliked: Set<String> = ["👎", "😡", "😠"]

    /// Creates the handler.
    public init(inbox: ChannelInbox, deliveries: DeliveryStore, feedback: FeedbackStore, identities: IdentityStore) {
        self.inbox = inbox
        self.deliveries = deliveries
        self.feedback = feedback
        self.identities = identities
    }

    public var channel: String { WhatsAppChannel.kind }

    public func handle(_ payload: Data, connection: ChannelConnection, logger: Logger) async throws {
        let event = try event(WhatsAppEvent.self, in: payload)
        if let message = event.message { try await receive(message, connection: connection, logger: logger) }
        if let status = event.status { try await update(status, connection: connection) }
    }

    private func update(_ status: WhatsAppWebhookPayload.Status, connection: ChannelConnection) async throws {
        guard let state = DeliveryStore.Status(rawValue: status.status) else { return }
        let error = status.errors?.first.map { failure in
            failure.code == 131047
                ? WhatsAppCloudAPI.windowExplanation
                : "WhatsApp error \(failure.code): \(failure.errorData?.details ?? failure.title ?? "")"
        }
        try await deliveries.update(externalID: status.id, channel: WhatsAppChannel.kind, to: state, error: error, tenant: connection.tenantID)
    }

    private func receive(_ message: WhatsAppWebhookPayload.Message, connection: ChannelConnection, logger: Logger) async throws {
        var parts: [MessagePart] = []
        switch message.type {
        case "text": message.text.map { parts.append(.text($0.body)) }
        case "image", "document":
            if let media = message.image ?? message.document {
                parts.append(.media(MediaReference(kind: message.type, reference: media.id, mimeType: media.mimeType, caption: media.caption)))
            }
        case "interactive":
            // Leopost sends buttons only under post previews; any other reply id is a button it never
            // sent (or one a person forged): answered like a stale button, never passed on as if typed.
            guard let reply = message.interactive?.buttonReply ?? message.interactive?.listReply else { break }
            let press = InboundMessage(
                channel: WhatsAppChannel.kind, connectionID: connection.id, senderID: message.from, threadID: message.from,
                externalID: message.id, parts: [])
            guard message.interactive?.buttonReply != nil, let (decision, post) = PostDecision.parse(reply.id) else {
                logger.info("whatsapp: a reply to a button Leopost did not send; answered as stale")
                try await inbox.reply(ChannelInbox.staleButtonText, to: press, through: connection)
                return
            }
            let answer = try await inbox.decide(decision, post: post, from: press, through: connection)
            try await inbox.reply(answer, to: press, through: connection)
            return
        case "button": message.button.map { parts.append(.text($0.text)) }
        case "reaction":
            if let reaction = message.reaction { try await react(reaction, from: message.from, connection: connection) }
            return
        default: break
        }
        guard !parts.isEmpty else {
            logger.info("whatsapp: a \(message.type) message; ignored")
            return
        }
        let inbound = InboundMessage(
            channel: WhatsAppChannel.kind, connectionID: connection.id, senderID: message.from, threadID: message.from,
            externalID: message.id, parts: parts
        )
        _ = try await inbox.receive(inbound, through: connection)
    }

    /// A thumbs up or down on one of Leopost's answers is feedback on it; other reactions are ignored.
    private func react(_ reaction: WhatsAppWebhookPayload.Message.Reaction, from sender: String, connection: ChannelConnection) async throws {
        let rating: FeedbackStore.Rating
        if let emoji = reaction.emoji, Self.liked.contains(emoji) {
            rating = .up
        } else if let emoji = reaction.emoji, Self.disliked.contains(emoji) {
            rating = .down
        } else {
            return
        }
        guard
            let answer = try await deliveries.message(forExternalID: reaction.messageID, channel: WhatsAppChannel.kind, tenant: connection.tenantID),
            let user = try await identities.user(channel: WhatsAppChannel.kind, externalID: sender, tenant: connection.tenantID)
        else { return }
        try? await feedback.record(rating, messageID: answer, userID: user, tenant: connection.tenantID)
    }
}
