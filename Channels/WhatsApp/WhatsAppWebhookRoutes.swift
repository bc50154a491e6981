import Foundation
import HTTPTypes
public import Hummingbird
public import LeopostCore
import Logging
import NIOCore

/// `GET|POST /hooks/whatsapp/{connection}`: the Cloud API's webhook.
///
/// GET answers Meta's verification handshake: `hub.mode=subscribe` with the connection's verify
/// token gets `hub.challenge` back as plain text. POST must carry `X-Hub-Signature-256`, the
/// HMAC-SHA256 of the raw body under the app secret (compared in constant time), or it is 401 and
/// nothing is queued. Every `entry` and `change` is walked:
/// - messages (text, image, document, interactive and template button replies) go to the
///   `ChannelInbox`, once per message id;
/// - a reaction to one of Leopost's answers is feedback (👍 ❤️ 🔥 🙏 up, 👎 down);
/// - statuses (sent, delivered, read, failed with their error codes) update the delivery records.
/// Unknown shapes are skipped with a log line and the answer is still 200, so Meta does not retry
/// forever; when the stores cannot take a message the answer is 503 and Meta's retry is answered once.
public struct WhatsAppWebhookRoutes: Sendable {
    private let connections: ChannelConnectionCache
    private let inbox: ChannelInbox
    private let deliveries: DeliveryStore
    private let feedback: FeedbackStore
    private let identities: IdentityStore
    private let maxBodyBytes: Int

    /// Creates the routes.
    public init(
        connections: ChannelConnectionCache, inbox: ChannelInbox, deliveries: DeliveryStore, feedback: FeedbackStore, identities: IdentityStore,
        maxBodyBytes: Int
    ) {
        self.connections = connections
        self.inbox = inbox
        self.deliveries = deliveries
        self.feedback = feedback
        self.identities = identities
        self.maxBodyBytes = maxBodyBytes
    }

    static let signatureHeader = HTTPField.Name("X-Hub-Signature-256")!
    static let liked: Set<String> = ["👍", "❤️", "❤", "🔥", "🙏", "👏", "😍"]
    static let disliked: Set<String> = ["👎", "😡", "😠"]

    /// The routes, public (no credential); each checks its own secret or needs none.
    public var routes: RouteCollection<GatewayContext> {
        let routes = RouteCollection(context: GatewayContext.self)
        routes.get("hooks/whatsapp/:connection") { request, context -> Response in
            let connection = try await MessagingWebhooks.connection(context, channel: WhatsAppChannel.kind, store: connections)
            let query = request.uri.queryParameters
            guard query.get("hub.mode") == "subscribe", let expected = connection.credentials["verify_token"],
                ConstantTime.equals(Array((query.get("hub.verify_token") ?? "").utf8), Array(expected.utf8)),
                let challenge = query.get("hub.challenge")
            else {
                throw APIError.verificationFailed("hub.mode or hub.verify_token does not match this connection")
            }
            return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: challenge)))
        }
        routes.post("hooks/whatsapp/:connection") { request, context -> Response in
            let connection = try await MessagingWebhooks.connection(context, channel: WhatsAppChannel.kind, store: connections)
            let body = Array(try await request.body.collect(upTo: maxBodyBytes).readableBytesView)
            guard Self.signatureMatches(request.headers[Self.signatureHeader], body: body, secret: connection.credentials["app_secret"] ?? "") else {
                throw APIError.unauthorized("the X-Hub-Signature-256 header does not sign this body with this connection's app secret")
            }
            guard let payload = try? JSONCoding.decoder.decode(WhatsAppWebhookPayload.self, from: Data(body)) else {
                context.logger.notice("whatsapp webhook: not a webhook payload; ignored", metadata: [LogKey.connectionID: "\(connection.id)"])
                return MessagingWebhooks.ok
            }
            try await MessagingWebhooks.unavailableWhenStoresAre { try await handle(payload, connection: connection, logger: context.logger) }
            return MessagingWebhooks.ok
        }
        return routes
    }

    /// `sha256=<hex>` equal, in constant time, to the HMAC-SHA256 of the raw body under `secret`.
    static func signatureMatches(_ header: String?, body: [UInt8], secret: String) -> Bool {
        guard !secret.isEmpty, let header, header.hasPrefix("sha256=") else { return false }
        let expected = Array(("sha256=" + Hex.encode(HMACSHA256.authenticationCode(for: body, key: Array(secret.utf8)))).utf8)
        return ConstantTime.equals(Array(header.lowercased().utf8), expected)
    }

    private func handle(_ payload: WhatsAppWebhookPayload, connection: ChannelConnection, logger: Logger) async throws {
        let changes = (payload.entry ?? []).flatMap { $0.changes ?? [] }.compactMap(\.value).filter { $0.field == "messages" }
        if changes.isEmpty { logger.info("whatsapp webhook: no messages change; ignored") }
        for value in changes.compactMap(\.value) {
            for message in value.messages ?? [] {
                guard let message = message.value else {
                    logger.info("whatsapp webhook: a message of an unknown shape; skipped")
                    continue
                }
                try await receive(message, connection: connection, logger: logger)
            }
            for status in (value.statuses ?? []).compactMap(\.value) {
                guard let state = DeliveryStore.Status(rawValue: status.status) else { continue }
                let error = status.errors?.first.map { failure in
                    failure.code == 131047
                        ? WhatsAppCloudAPI.windowExplanation
                        : "WhatsApp error \(failure.code): \(failure.errorData?.details ?? failure.title ?? "")"
                }
                try await deliveries.update(
                    externalID: status.id, channel: WhatsAppChannel.kind, to: state, error: error, tenant: connection.tenantID)
            }
        }
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
                logger.info("whatsapp webhook: a reply to a button Leopost did not send; answered as stale")
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
            logger.info("whatsapp webhook: a \(message.type) message; ignored")
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
