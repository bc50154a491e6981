public import Logging
public import ServiceLifecycle

/// Makes "stored means it will be answered" true when Redis was not there to take the job: a
/// person's message stored in PostgreSQL whose router job never reached Redis (the gateway got
/// the message in, then Redis failed: the client saw 503), or was lost with Redis's data, is
/// found here and queued again.
///
/// Every `interval`, one sweeper of the deployment (a Redis lock picks it) lists the messages that
/// have waited longer than `waited` with no final answer and queues each one's router job with the
/// same idempotency key the gateway used, so a job that is merely slow, or still queued, is not
/// doubled: the enqueue adds nothing. The list comes from PostgreSQL through the one cross-tenant
/// function the server may call, which returns ids only; each message is then read under its own
/// tenant.
public final class StalledMessageSweeper: Service, Sendable {
    /// When and how much to sweep.
    public struct Configuration: Sendable {
        /// How often to look.
        public var interval: Duration
        /// How long a message may wait for its answer before it counts as stalled: well above the
        /// slowest answer, so a sweep rarely finds a job still running (which would be harmless).
        public var waited: Duration
        /// Messages older than this are left alone: an answer a day late helps nobody, and the
        /// queue's idempotency keys (24 h) must still cover whatever is queued again.
        public var horizon: Duration
        /// The most messages queued again per look.
        public var batch: Int

        /// Creates a configuration.
        public init(interval: Duration = .seconds(15), waited: Duration = .seconds(60), horizon: Duration = .seconds(12 * 3600), batch: Int = 500) {
            self.interval = interval
            self.waited = waited
            self.horizon = horizon
            self.batch = batch
        }
    }

    private let conversations: ConversationStore
    private let intake: ConversationIntake
    private let redis: RedisClient
    private let configuration: Configuration
    private let logger: Logger
    private let lockKey: String
    private let posts: StalledPostSweep?

    /// Creates the sweeper; `routerStage` must be the stage the gateway queues answers on. With
    /// `posts`, each look also queues again the post targets whose publish job was lost.
    public init(
        postgres: PostgresPool, redis: RedisClient, routerStage: String = ChatRouter.stage, configuration: Configuration = .init(),
        posts: StalledPostSweep? = nil, logger: Logger
    ) {
        self.posts = posts
        self.conversations = ConversationStore(pool: postgres)
        self.intake = ConversationIntake(
            conversations: conversations, router: StageQueue(stage: routerStage, redis: redis), events: ConversationEventLog(redis: redis))
        self.redis = redis
        self.configuration = configuration
        self.logger = logger
        self.lockKey = "{lp:sweeper:\(routerStage)}:lock"
    }

    /// Sweeps every `interval` until graceful shutdown; an unreachable store is logged and tried
    /// again on the next look.
    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await self.sweepIfFirst()
                } catch is CancellationError {
                    return
                } catch {
                    self.logger.info("stalled-work sweep failed; trying again later", metadata: [LogKey.error: "\(error)"])
                }
                try await Task.sleep(for: self.configuration.interval)
            }
        }
    }

    /// One look, when no other sweeper of the deployment took this interval's lock.
    func sweepIfFirst() async throws {
        let lease = Int(configuration.interval.milliseconds) * 9 / 10
        guard try await redis.send(RedisCommand("SET", lockKey, "1", "NX", "PX", max(1, lease))).throwingError().string == "OK" else { return }
        // One sweep failing does not skip the other.
        do { try await sweep() } catch {
            logger.info("stalled-message sweep failed; trying again later", metadata: [LogKey.error: "\(error)"])
        }
        try await posts?.sweep()
    }

    /// Queues every stalled message's router job again; returns how many were actually added
    /// (the others had a live or finished job under their idempotency key).
    @discardableResult
    public func sweep() async throws -> Int {
        let stalled = try await conversations.stalledMessages(
            waited: configuration.waited, horizon: configuration.horizon, limit: configuration.batch)
        var requeued = 0
        for found in stalled {
            guard let message = try await conversations.message(found.messageID, tenant: found.tenant),
                let conversation = try await conversations.conversation(message.conversationID, tenant: found.tenant, userID: nil)
            else { continue }
            // The conversation's person asked: channels store no other sender on a message.
            let added = try await intake.queueAnswer(
                messageID: message.id, conversation: conversation, from: conversation.userID, tenant: found.tenant)
            if added {
                requeued += 1
                logger.notice(
                    "a stored message had no router job; queued it again",
                    metadata: [LogKey.messageID: "\(message.id)", LogKey.tenantID: "\(found.tenant)"])
            }
        }
        return requeued
    }
}
