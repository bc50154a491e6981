import Foundation
import HTTPTypes
public import Hummingbird
public import LeopostCore
import Logging
import NIOCore

/// `POST /hooks/telegram/{connection}`: Telegram's webhook.
///
/// The `X-Telegram-Bot-Api-Secret-Token` header must equal the connection's secret (compared in
/// constant time) or the answer is 401 and nothing is queued. A body that is an update is queued
/// for the intake stage (``TelegramUpdateHandler`` does the rest there) and answered 200 once it is
/// durable in Redis; a body that is not is answered 200 and logged, so Telegram does not retry it
/// forever. An `update_id` is queued once. When Redis cannot take it the answer is 503, and
/// Telegram's retry is queued then.
public struct TelegramWebhookRoute: Sendable {
    private let connections: ChannelConnectionCache
    private let inbound: InboundQueue
    private let maxBodyBytes: Int

    /// Creates the route.
    public init(connections: ChannelConnectionCache, inbound: InboundQueue, maxBodyBytes: Int) {
        self.connections = connections
        self.inbound = inbound
        self.maxBodyBytes = maxBodyBytes
    }

    /// The routes, public (no credential); each checks its own secret or needs none.
    public var routes: RouteCollection<GatewayContext> {
        let routes = RouteCollection(context: GatewayContext.self)
        routes.post("hooks/telegram/:connection") { request, context -> Response in
            let connection = try await MessagingWebhooks.connection(context, channel: TelegramChannel.kind, store: connections)
            let secret = request.headers[Self.secretHeader] ?? ""
            guard let expected = connection.credentials["secret_token"], ConstantTime.equals(Array(secret.utf8), Array(expected.utf8)) else {
                throw APIError.unauthorized("the X-Telegram-Bot-Api-Secret-Token header does not match this connection")
            }
            let body = try await request.body.collect(upTo: maxBodyBytes)
            let json = String(buffer: body)
            guard let update = try? JSONCoding.decoder.decode(TelegramUpdateRouting.self, from: Data(json.utf8)) else {
                context.logger.notice("telegram webhook: not an update; ignored", metadata: [LogKey.connectionID: "\(connection.id)"])
                return MessagingWebhooks.ok
            }
            try await MessagingWebhooks.unavailableWhenStoresAre {
                try await inbound.enqueue(
                    json: json, channel: TelegramChannel.kind, connection: connection, eventID: String(update.updateID), thread: update.thread)
            }
            return MessagingWebhooks.ok
        }
        return routes
    }

    static let secretHeader = HTTPField.Name("X-Telegram-Bot-Api-Secret-Token")!
}
