public import Hummingbird
public import LeopostCore

/// The web channel's part of a gateway: the chat page at `/`, the conversation API and the
/// event stream, wired to the process's shared clients.
public struct WebChatModule: Sendable {
    private let chat: WebChatRoutes
    private let events: ConversationEventsRoute
    private let upload: MediaUploadRoute?

    /// Creates the module over the process's clients and event hub.
    /// - Parameters:
    ///   - policyRules: the operator's rules the tenants' policies are read under.
    ///   - routerStage: the stage that answers; another name only to keep tests sharing one Redis apart.
    ///   - uploads: where images attached in the chat are kept (the router's media store); none: text only.
    public init(
        redis: RedisClient, postgres: PostgresPool, hub: ConversationEventHub, maxBodyBytes: Int, policyRules: PolicyParser.Rules = .init(),
        routerStage: String = ChatRouter.stage, uploads: MediaUploads? = nil
    ) {
        let conversations = ConversationStore(pool: postgres)
        let log = ConversationEventLog(redis: redis)
        let intake = ConversationIntake(conversations: conversations, router: StageQueue(stage: routerStage, redis: redis), events: log)
        chat = WebChatRoutes(
            dependencies: .init(
                conversations: conversations, users: UserStore(pool: postgres), intake: intake,
                policies: PolicyStore(pool: postgres, rules: policyRules),
                limiter: RateLimiter(redis: redis), linkCodes: LinkCodes(redis: redis), uploads: uploads
            ),
            maxBodyBytes: maxBodyBytes
        )
        events = ConversationEventsRoute(chat: chat, events: log, hub: hub)
        upload = uploads.map { MediaUploadRoute(uploads: $0, limiter: RateLimiter(redis: redis)) }
    }

    /// The chat page: public, mount on the gateway's router.
    public var pageRoutes: RouteCollection<GatewayContext> { ChatPage.routes }

    /// The conversation API and its event stream, relative to `/v1`: mount on the gateway's `api`.
    public var routes: RouteCollection<GatewayContext> {
        let routes = RouteCollection(context: GatewayContext.self).addRoutes(chat.routes).addRoutes(events.routes)
        return upload.map { routes.addRoutes($0.routes) } ?? routes
    }
}
