import LeopostChannels
import LeopostCore
import LeopostProviders
import Logging
import ServiceLifecycle

/// The stages this build can run, by the name `leopost worker --stages` uses.
///
/// Each entry makes the stage's service from the process's shared clients: a worker for intake,
/// router, delivery and publish, the scheduler that moves due posts into the publish stream, and
/// the sweeper that queues again the stored messages whose router job was lost.
struct StageCatalog {
    struct Clients {
        let redis: RedisClient
        let postgres: PostgresPool
        let http: HTTPClient
        /// Opens the tenants' sealed secrets.
        let masterKey: SymmetricKey
        /// Where `env:` credentials and the providers' `*_BASE_URL` overrides are read.
        let environment: [String: String]
        /// After how long a dead worker's job is taken over.
        let visibilityTimeout: Duration
        /// The loaded platform plugins.
        let plugins: PluginRegistry
        /// What the operator lets the tenants' policies name.
        let policyRules: PolicyParser.Rules
        /// The channel adapters of this build: the delivery stage sends through them, and the
        /// router reads what each can do from them.
        let channels: [any ChannelAdapter]
        /// Where the router fetches and keeps the photos people send.
        let media: MediaLibrary
        /// Signed public links to those photos, for posts that carry one; `nil` without `LEOPOST_PUBLIC_URL`.
        let mediaLinks: MediaLinks?
        let logger: Logger
    }

    typealias Factory = @Sendable (Clients) -> any Service

    static let all: [String: Factory] = [
        ChatRouter.stage: { clients in
            let builder = PolicyChainBuilder(http: clients.http, environment: clients.environment, breaker: CircuitBreaker(redis: clients.redis))
            let router = ChatRouter(
                dependencies: .init(
                    conversations: ConversationStore(pool: clients.postgres), brands: BrandStore(pool: clients.postgres),
                    feedback: FeedbackStore(pool: clients.postgres), policies: PolicyStore(pool: clients.postgres, rules: clients.policyRules),
                    usage: UsageStore(pool: clients.postgres), events: ConversationEventLog(redis: clients.redis),
                    ledger: BudgetLedger(redis: clients.redis), delivery: StageQueue(stage: DeliveryStage.stage, redis: clients.redis),
                    users: UserStore(pool: clients.postgres),
                    tools: ToolBox(
                        PublishingTools(
                            redis: clients.redis, postgres: clients.postgres, masterKey: clients.masterKey, plugins: clients.plugins,
                            policyRules: clients.policyRules, logger: clients.logger,
                            photos: clients.mediaLinks.map {
                                PhotoAttachments(library: clients.media, links: $0, conversations: ConversationStore(pool: clients.postgres))
                            }
                        ).all + [SetTimeZoneTool(users: UserStore(pool: clients.postgres))]),
                    media: clients.media
                ),
                chains: { task, policy, tenant in
                    let secrets = try await SecretStore(pool: clients.postgres, masterKey: clients.masterKey).values(
                        policy.secretNames, tenant: tenant)
                    return builder.chain(for: task, policy: policy, secrets: secrets, tenant: tenant.description).chain
                },
                configuration: .init(channels: ChannelCatalog(clients.channels)),
                logger: clients.logger
            )
            // Long enough to outlast a PostgreSQL or Redis restart (at least 45 s of backoff in all)
            // before the person is told their message could not be answered.
            let retry = RetryPolicy(maxAttempts: 8, baseDelay: .seconds(1), maxDelay: .seconds(30))
            return StageWorker(
                stage: ChatRouter.stage, redis: clients.redis, handler: router,
                configuration: .init(concurrency: 16, visibilityTimeout: clients.visibilityTimeout, retry: retry), logger: clients.logger
            )
        },
        IntakeStage.stage: { clients in
            let intake = MessagingModule.intake(
                redis: clients.redis, postgres: clients.postgres, http: clients.http, masterKey: clients.masterKey,
                configuration: MessagingConfiguration(environment: clients.environment), logger: clients.logger,
                publisher: Publisher(
                    redis: clients.redis, postgres: clients.postgres, masterKey: clients.masterKey, plugins: clients.plugins,
                    policyRules: clients.policyRules, logger: clients.logger))
            return StageWorker(
                stage: IntakeStage.stage, redis: clients.redis, handler: intake,
                configuration: .init(concurrency: 16, visibilityTimeout: clients.visibilityTimeout), logger: clients.logger
            )
        },
        DeliveryStage.stage: { clients in
            let delivery = DeliveryStage(
                adapters: clients.channels, deliveries: DeliveryStore(pool: clients.postgres),
                conversations: ConversationStore(pool: clients.postgres),
                drafts: DeliveryDrafts(redis: clients.redis), logger: clients.logger
            )
            return StageWorker(
                stage: DeliveryStage.stage, redis: clients.redis, handler: delivery,
                configuration: .init(visibilityTimeout: clients.visibilityTimeout), logger: clients.logger
            )
        },
        PublishStage.stage: { clients in
            let retry = RetryPolicy(maxAttempts: 8, baseDelay: .seconds(1), maxDelay: .seconds(300))
            let stage = PublishStage(
                dependencies: .init(
                    posts: PostStore(pool: clients.postgres), accounts: SocialAccountStore(pool: clients.postgres, masterKey: clients.masterKey),
                    registry: clients.plugins, events: ConversationEventLog(redis: clients.redis), redis: clients.redis,
                    scheduler: PostScheduler(redis: clients.redis, logger: clients.logger),
                    notices: PostNotices(
                        conversations: ConversationStore(pool: clients.postgres),
                        delivery: StageQueue(stage: DeliveryStage.stage, redis: clients.redis))
                ),
                maxAttempts: retry.maxAttempts,
                // A plugin's publish may make a few calls (a media container, then its publication).
                inFlightWindow: clients.plugins.configuration.httpTimeout * 2 + .seconds(15), logger: clients.logger
            )
            return StageWorker(
                stage: PublishStage.stage, redis: clients.redis, handler: stage,
                configuration: .init(concurrency: 16, visibilityTimeout: clients.visibilityTimeout, retry: retry), logger: clients.logger
            )
        },
        "scheduler": { clients in PostScheduler(redis: clients.redis, logger: clients.logger) },
        // Queues again the people's messages whose router job never reached Redis (or was lost with it),
        // and the confirmed post targets whose publish job or place on the schedule was.
        "sweeper": { clients in
            StalledMessageSweeper(
                postgres: clients.postgres, redis: clients.redis,
                posts: StalledPostSweep(postgres: clients.postgres, redis: clients.redis, logger: clients.logger), logger: clients.logger)
        },
    ]

    /// The workers for `names`, or a failure naming the unknown ones.
    static func workers(_ names: [String], clients: Clients) throws -> [any Service] {
        let unknown = names.filter { all[$0] == nil }
        guard unknown.isEmpty else {
            let known = all.keys.sorted()
            throw CommandFailure(
                "unknown stage \(unknown.joined(separator: ", ")); this build has \(known.isEmpty ? "no stages yet" : known.joined(separator: ", "))"
            )
        }
        return names.compactMap { all[$0]?(clients) }
    }
}
