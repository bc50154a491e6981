public import Hummingbird
public import LeopostCore
public import Logging

/// The messaging channels' part of a gateway: Telegram's and WhatsApp's webhooks (public, each
/// checking its own secret or signature, queuing what they take for the intake stage) and
/// `GET|POST /v1/channels`; and the intake stage's handler, for the workers.
public struct MessagingModule: Sendable {
    private let telegram: TelegramWebhookRoute
    private let whatsApp: WhatsAppWebhookRoutes
    private let connectionRoutes: ChannelConnectionRoutes
    /// Long polling for Telegram connections made without a public address; run it as a service
    /// of the gateway process.
    public let telegramPoller: TelegramPoller

    /// Creates the module over the process's clients.
    /// - Parameter intakeStage: where the webhooks and the poller queue what they take; another
    ///   name only to keep tests sharing one Redis apart.
    public init(
        redis: RedisClient, postgres: PostgresPool, http: HTTPClient, masterKey: SymmetricKey, configuration: MessagingConfiguration,
        maxBodyBytes: Int, logger: Logger, intakeStage: String = IntakeStage.stage, polling: TelegramPoller.Configuration = .init()
    ) {
        let connections = ChannelConnectionStore(pool: postgres, masterKey: masterKey)
        let cache = ChannelConnectionCache(store: connections)
        let inbound = InboundQueue(redis: redis, stage: intakeStage)
        telegram = TelegramWebhookRoute(connections: cache, inbound: inbound, maxBodyBytes: maxBodyBytes)
        telegramPoller = TelegramPoller(
            redis: redis, connections: cache, inbound: inbound, http: http, configuration: configuration, timing: polling, logger: logger)
        whatsApp = WhatsAppWebhookRoutes(connections: cache, inbound: inbound, maxBodyBytes: maxBodyBytes)
        connectionRoutes = ChannelConnectionRoutes(
            connections: connections, http: http, configuration: configuration, poller: telegramPoller, maxBodyBytes: maxBodyBytes)
    }

    /// The intake stage's handler: the channels' events, taken from the queue, stored and passed
    /// to the router.
    /// - Parameters:
    ///   - publisher: confirms and cancels posts when a person presses a preview's buttons; without
    ///     it the buttons answer that publishing is not available.
    ///   - routerStage, deliveryStage: the stages messages and Leopost's own replies go to; other
    ///     names only to keep tests sharing one Redis apart.
    public static func intake(
        redis: RedisClient, postgres: PostgresPool, http: HTTPClient, masterKey: SymmetricKey, configuration: MessagingConfiguration,
        logger: Logger, publisher: Publisher? = nil, routerStage: String = ChatRouter.stage, deliveryStage: String = DeliveryStage.stage
    ) -> IntakeStage {
        let conversations = ConversationStore(pool: postgres)
        let identities = IdentityStore(pool: postgres)
        let intake = ConversationIntake(
            conversations: conversations, router: StageQueue(stage: routerStage, redis: redis), events: ConversationEventLog(redis: redis)
        )
        let inbox = ChannelInbox(
            conversations: conversations, identities: identities, codes: LinkCodes(redis: redis), intake: intake,
            delivery: StageQueue(stage: deliveryStage, redis: redis), publisher: publisher, logger: logger
        )
        let handlers: [any InboundEventHandling] = [
            TelegramUpdateHandler(inbox: inbox, http: http, configuration: configuration),
            WhatsAppEventHandler(
                inbox: inbox, deliveries: DeliveryStore(pool: postgres), feedback: FeedbackStore(pool: postgres), identities: identities),
        ]
        return IntakeStage(
            connections: ChannelConnectionCache(store: ChannelConnectionStore(pool: postgres, masterKey: masterKey)), handlers: handlers,
            logger: logger)
    }

    /// Telegram's and WhatsApp's webhooks: public (each checks its own secret or signature), mount
    /// on the gateway's router.
    public var webhookRoutes: RouteCollection<GatewayContext> {
        RouteCollection(context: GatewayContext.self).addRoutes(telegram.routes).addRoutes(whatsApp.routes)
    }

    /// `GET|POST /v1/channels`, relative to `/v1`: mount on the gateway's `api`.
    public var routes: RouteCollection<GatewayContext> { connectionRoutes.routes }

    /// The adapters the delivery stage sends through.
    public static func adapters(postgres: PostgresPool, http: HTTPClient, masterKey: SymmetricKey, configuration: MessagingConfiguration)
        -> [any ChannelAdapter]
    {
        let connections = ChannelConnectionStore(pool: postgres, masterKey: masterKey)
        return [
            WebChannel(),
            TelegramChannel(connections: connections, http: http, baseURL: configuration.telegramAPIBaseURL),
            WhatsAppChannel(connections: connections, http: http, baseURL: configuration.whatsAppAPIBaseURL),
        ]
    }
}
