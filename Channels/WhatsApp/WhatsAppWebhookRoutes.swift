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
/// nothing is queued. Every `entry` and `change` of the `messages` field is walked, and each message
/// and delivery status is queued for the intake stage on its own, once per id (``WhatsAppEventHandler``
/// does the rest there). Unknown shapes are skipped with a log line and the answer is still 200, so
/// Meta does not retry forever; when Redis cannot take an event the answer is 503, and Meta's retry
/// queues what was not queued yet.
public struct WhatsAppWebhookRoutes: Sendable {
    private let connections: ChannelConnectionCache
    private let inbound: InboundQueue
    private let maxBodyBytes: Int

    /// Creates the routes.
    public init(connections: ChannelConnectionCache, inbound: InboundQueue, maxBodyBytes: Int) {
        self.connections = connections
        self.inbound = inbound
        self.maxBodyBytes = maxBodyBytes
    }

    static let signatureHeader = HTTPField.Name("X-Hub-Signature-256")!

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
            try await MessagingWebhooks.unavailableWhenStoresAre { try await enqueue(payload, connection: connection, logger: context.logger) }
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

    /// Queues each message (ordered by its sender) and each delivery status of `payload`.
    private func enqueue(_ payload: WhatsAppWebhookPayload, connection: ChannelConnection, logger: Logger) async throws {
        let changes = (payload.entry ?? []).flatMap { $0.changes ?? [] }.compactMap(\.value).filter { $0.field == "messages" }
        if changes.isEmpty { logger.info("whatsapp webhook: no messages change; ignored") }
        for value in changes.compactMap(\.value) {
            for message in value.messages ?? [] {
                guard let message = message.value else {
                    logger.info("whatsapp webhook: a message of an unknown shape; skipped")
                    continue
                }
                try await inbound.enqueue(
                    WhatsAppEvent(message: message), channel: WhatsAppChannel.kind, connection: connection, eventID: message.id,
                    thread: message.from)
            }
            for status in (value.statuses ?? []).compactMap(\.value) {
                try await inbound.enqueue(
                    WhatsAppEvent(status: status), channel: WhatsAppChannel.kind, connection: connection,
                    eventID: "status:\(status.id):\(status.status)", thread: nil)
            }
        }
    }
}
