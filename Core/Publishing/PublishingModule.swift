public import Hummingbird
public import Logging

/// The publishing routes of DESIGN §4 — posts, platforms and social accounts — mounted on a
/// gateway in one call by the composition root.
public struct PublishingModule: Sendable {
    private let posts: PostRoutes
    private let platforms: PlatformRoutes
    private let accounts: SocialAccountRoutes

    /// The publisher the routes use, for the messaging channels' Confirm and Cancel buttons.
    public let publisher: Publisher

    /// Creates the module over the process's shared clients and loaded plugins.
    /// - Parameters:
    ///   - policyRules: the operator's rules the tenants' policies are read under; its egress guard
    ///     also judges social accounts' `base_url`s when they are stored.
    ///   - publishStage, deliveryStage: where confirmed posts and chat-app previews go; other names
    ///     only to keep tests sharing one Redis apart.
    public init(
        redis: RedisClient, postgres: PostgresPool, masterKey: SymmetricKey, plugins: PluginRegistry, maxBodyBytes: Int, logger: Logger,
        policyRules: PolicyParser.Rules = .init(), publishStage: String = PublishStage.stage, deliveryStage: String = DeliveryStage.stage
    ) {
        let postStore = PostStore(pool: postgres)
        let accountStore = SocialAccountStore(pool: postgres, masterKey: masterKey)
        let conversations = ConversationStore(pool: postgres)
        publisher = Publisher(
            redis: redis, postgres: postgres, masterKey: masterKey, plugins: plugins, policyRules: policyRules, logger: logger,
            publishStage: publishStage, deliveryStage: deliveryStage)
        posts = PostRoutes(
            publisher: publisher, posts: postStore, conversations: conversations, users: UserStore(pool: postgres), maxBodyBytes: maxBodyBytes)
        platforms = PlatformRoutes(registry: plugins)
        accounts = SocialAccountRoutes(store: accountStore, registry: plugins, egress: policyRules.egress, maxBodyBytes: maxBodyBytes)
    }

    /// Posts, platforms and social accounts, relative to `/v1`: mount on the gateway's `api`.
    public var routes: RouteCollection<GatewayContext> {
        RouteCollection(context: GatewayContext.self).addRoutes(posts.routes).addRoutes(platforms.routes).addRoutes(accounts.routes)
    }
}
