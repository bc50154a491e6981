import Foundation
public import Hummingbird
public import LeopostCore

/// `POST /v1/channels` connects a messaging channel for the tenant and returns its webhook URL;
/// `GET /v1/channels` lists the connections (never their credentials). API key only: a
/// connection holds the tenant's bot and business credentials.
///
/// Telegram: `{"kind": "telegram", "name": "...", "credentials": {"bot_token": "..."}}`. Leopost
/// makes a `secret_token` (unless one is given) and, when `LEOPOST_PUBLIC_URL` is set, calls
/// `setWebhook` with it; without a public address it deletes any webhook and the bot is long-polled
/// (`getUpdates`) instead. A token Telegram refuses is refused here (400) and nothing is stored.
/// WhatsApp: `{"kind": "whatsapp", "name": "...", "credentials": {"verify_token", "app_secret",
/// "access_token"}, "settings": {"phone_number_id": "..."}}`; enter the returned URL and the verify
/// token in Meta's app dashboard.
public struct ChannelConnectionRoutes: Sendable {
    private let connections: ChannelConnectionStore
    private let http: HTTPClient
    private let configuration: MessagingConfiguration
    private let poller: TelegramPoller?
    private let maxBodyBytes: Int

    /// Creates the routes; `poller` takes Telegram connections made without a public address.
    public init(
        connections: ChannelConnectionStore, http: HTTPClient, configuration: MessagingConfiguration, poller: TelegramPoller? = nil, maxBodyBytes: Int
    ) {
        self.poller = poller
        self.connections = connections
        self.http = http
        self.configuration = configuration
        self.maxBodyBytes = maxBodyBytes
    }

    struct NewConnection: Decodable {
        let kind: String
        let name: String?
        let credentials: [String: String]
        let settings: [String: String]?
    }

    struct ConnectionView: Encodable {
        let id: UUID
        let kind: String
        let name: String
        let webhookURL: String
        let webhookRegistered: Bool?
        /// Telegram without a public address: Leopost fetches the bot's updates itself.
        var polling: Bool? = nil
    }

    static let required: [String: (credentials: [String], settings: [String])] = [
        TelegramChannel.kind: (["bot_token"], []),
        WhatsAppChannel.kind: (["verify_token", "app_secret", "access_token"], ["phone_number_id"]),
    ]

    /// The routes, relative to `/v1`, mounted behind the tenant authenticator.
    public var routes: RouteCollection<GatewayContext> {
        let routes = RouteCollection(context: GatewayContext.self)
        routes.get("channels") { _, context -> Response in
            let identity = try context.requireAPIKey(for: "listing channel connections")
            let list = try await connections.connections(tenant: identity.tenantID).map {
                ConnectionView(id: $0.id, kind: $0.channel, name: $0.name, webhookURL: webhookURL(for: $0), webhookRegistered: nil)
            }
            return try JSONBody.response(["channels": list])
        }
        routes.post("channels") { request, context -> Response in
            let identity = try context.requireAPIKey(for: "connecting a channel")
            let body = try await JSONBody.decode(NewConnection.self, from: request, limit: maxBodyBytes)
            guard let needed = Self.required[body.kind] else {
                throw APIError.badRequest("kind: expected one of \(Self.required.keys.sorted().joined(separator: ", "))")
            }
            for key in needed.credentials where (body.credentials[key] ?? "").isEmpty { throw APIError.badRequest("credentials.\(key): missing") }
            for key in needed.settings where (body.settings?[key] ?? "").isEmpty { throw APIError.badRequest("settings.\(key): missing") }
            var credentials = body.credentials
            if body.kind == TelegramChannel.kind {
                // Telegram's rule for the secret: 1-256 of A-Z a-z 0-9 _ -. Made here unless the tenant brings one.
                if let given = credentials["secret_token"] {
                    guard (1...256).contains(given.count), given.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
                    else {
                        throw APIError.badRequest("credentials.secret_token: 1 to 256 of A-Z, a-z, 0-9, _ and -")
                    }
                } else {
                    credentials["secret_token"] = try SecureRandom.token(byteCount: 32)
                }
            }
            let draft = ChannelConnection(
                id: UUID.random(), tenantID: identity.tenantID, channel: body.kind, name: body.name ?? body.kind, credentials: credentials,
                settings: body.settings ?? [:]
            )
            let registered = try await registerWebhook(draft)
            let stored: ChannelConnection
            do {
                stored = try await connections.create(
                    id: draft.id, channel: draft.channel, name: draft.name, credentials: credentials, settings: draft.settings,
                    tenant: identity.tenantID
                )
            } catch let error as StoreError where error.code == .conflict {
                throw APIError.conflict(error.message)
            }
            let polled = registered == false
            if polled { try await poller?.register(stored) }
            return try JSONBody.response(
                ConnectionView(
                    id: stored.id, kind: stored.channel, name: stored.name, webhookURL: webhookURL(for: stored),
                    webhookRegistered: polled ? nil : registered, polling: polled ? true : nil),
                status: .created
            )
        }
        return routes
    }

    /// Where the channel's platform must send webhooks (relative when no public URL is configured).
    func webhookURL(for connection: ChannelConnection) -> String {
        "\(configuration.publicBaseURL ?? "")/hooks/\(connection.channel)/\(connection.handle)"
    }

    /// Tells Telegram where to send updates, with the secret it must send back: `true`. Without a
    /// public address, removes any webhook so the bot can be long-polled: `false`. `nil` for other channels.
    private func registerWebhook(_ connection: ChannelConnection) async throws -> Bool? {
        guard connection.channel == TelegramChannel.kind else { return nil }
        let api = TelegramBotAPI(http: http, baseURL: configuration.telegramAPIBaseURL, token: connection.credentials["bot_token"] ?? "")
        do {
            guard configuration.publicBaseURL != nil else {
                try await api.deleteWebhook()
                return false
            }
            try await api.setWebhook(url: webhookURL(for: connection), secretToken: connection.credentials["secret_token"] ?? "")
        } catch let error as ChannelError {
            throw APIError.channelRefused("telegram", error.message, unreachable: error.code == .unavailable || error.code == .unknownOutcome)
        }
        return true
    }
}
