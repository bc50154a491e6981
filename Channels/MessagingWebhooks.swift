import Foundation
public import Hummingbird
public import LeopostCore
import NIOCore

/// What every messaging channel's webhook shares: finding the connection from the path, the
/// answer the platform expects, and 503 when Redis cannot take the event (or PostgreSQL, for a
/// connection not in the cache).
enum MessagingWebhooks {
    /// The connection named by the path's `connection` handle; 404 for anything else (an unknown
    /// handle, another channel's connection), 503 when PostgreSQL cannot be asked (a connection
    /// not in the cache).
    static func connection(_ context: GatewayContext, channel: String, store: ChannelConnectionCache) async throws -> ChannelConnection {
        guard let handle = context.parameters.get("connection"), let (tenant, id) = ChannelConnection.parse(handle: handle),
            let connection = try await unavailableWhenStoresAre({ try await store.connection(id, tenant: tenant) }), connection.channel == channel
        else { throw APIError.notFound("no \(channel) connection here") }
        return connection
    }

    /// `200 {"ok":true}`.
    static var ok: Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"ok":true}"#)))
    }

    /// Runs `body`; a Redis or PostgreSQL failure becomes 503, so the platform delivers the webhook again later.
    static func unavailableWhenStoresAre<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as RedisError {
            throw APIError.unavailable("the message could not be stored just now (\(error.code)); please retry")
        } catch let error as PostgresError {
            throw APIError.unavailable("the message could not be stored just now (\(error.sqlState ?? "database")); please retry")
        }
    }
}
