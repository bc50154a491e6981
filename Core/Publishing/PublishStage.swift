public import Foundation
public import Logging

/// The `publish` stage: posts one target of one post through its platform plugin, exactly once.
///
/// The rules that make "once" hold (DESIGN §2):
/// - The target is recorded as `publishing` (with its idempotency key and the time) *before* the
///   plugin is called, so a worker that dies mid-call leaves a trace.
/// - A job that finds its target `publishing` since less than the in-flight window waits and tries
///   again later: another job may be mid-call. Two jobs never call the plugin for one target at
///   once (the move to `publishing` is one conditional update).
/// - A job that finds its target `publishing` or `unconfirmed` does not post again blindly: it asks
///   the platform (`check_status`), and posts again only when the platform has no such post, or
///   when the manifest says a repeated publish with the same key cannot duplicate it.
/// - Only what is safe to repeat is retried: a rate limit (after the platform's delay, held for
///   the whole account), or an answer that says nothing was posted. A job held back by the
///   manifest's limits before any call waits on the schedule and keeps its attempts. A call sent without an answer
///   becomes `unconfirmed` and is reconciled on the next attempt.
/// - A refusal no retry can fix (bad content, expired token, lost account) fails the target with
///   the reason, and an expired or lost account is marked so a person reconnects it.
/// - Every state change is a `post.status` event on the conversation that asked for the post.
public struct PublishStage: StageHandler {
    /// The stage's name for `leopost worker --stages`.
    public static let stage = "publish"

    /// What the stage works with.
    public struct Dependencies: Sendable {
        /// Posts and targets.
        public var posts: PostStore
        /// The tenants' platform accounts.
        public var accounts: SocialAccountStore
        /// The loaded plugins.
        public var registry: PluginRegistry
        /// Where `post.status` events go.
        public var events: ConversationEventLog
        /// Shared Redis, for the platforms' rate limits.
        public var redis: RedisClient
        /// Tells a chat-app conversation what became of its post; `nil` for none.
        public var notices: PostNotices?
        /// The stage's schedule: a job held back by the platform's limits waits there, without
        /// spending one of its attempts (no call was made).
        public var scheduler: PostScheduler

        /// Bundles the dependencies.
        public init(
            posts: PostStore, accounts: SocialAccountStore, registry: PluginRegistry, events: ConversationEventLog, redis: RedisClient,
            scheduler: PostScheduler, notices: PostNotices? = nil
        ) {
            self.notices = notices
            self.scheduler = scheduler
            self.posts = posts
            self.accounts = accounts
            self.registry = registry
            self.events = events
            self.redis = redis
        }
    }

    let dependencies: Dependencies
    let limits: PlatformRateLimits
    let maxAttempts: Int
    let inFlightWindow: Duration
    let logger: Logger

    /// Creates the stage. `maxAttempts` must be the worker's retry limit: the last attempt records
    /// its failure on the target before the job is dead-lettered.
    /// - Parameter inFlightWindow: how long after an attempt began a target still `publishing` may
    ///   be in the hands of that attempt (a plugin call runs to its end on its thread, even when
    ///   its job was stopped): another job that finds it so waits this out instead of asking the
    ///   platform, which would not know yet of a post still being made, and posting again. Longer
    ///   than a plugin's calls (30 s each by default) plus a margin for clocks; the server uses
    ///   twice the plugin HTTP timeout plus 15 s.
    public init(dependencies: Dependencies, maxAttempts: Int, inFlightWindow: Duration = .seconds(75), logger: Logger) {
        self.inFlightWindow = inFlightWindow
        self.dependencies = dependencies
        self.limits = PlatformRateLimits(redis: dependencies.redis)
        self.maxAttempts = maxAttempts
        self.logger = logger
    }

    public func handle(_ job: StageJob) async throws {
        let request: PublishJob
        do { request = try job.decodePayload(as: PublishJob.self) } catch {
            throw StageFailure.permanent("not a publish job: \(error)")
        }
        let tenant = TenantID(request.tenantID)
        guard let post = try await dependencies.posts.post(request.postID, tenant: tenant),
            let target = post.targets.first(where: { $0.id == request.targetID })
        else {
            logger.info("publish job for a post that no longer exists", metadata: [LogKey.postID: "\(request.postID)"])
            return
        }
        var attempt = PublishAttempt(stage: self, post: post, target: target, tenant: tenant, isLast: job.attempt >= maxAttempts)
        try await attempt.run()
    }

    /// Ends the target's story when the runtime gave up on its job without an attempt recording
    /// one (a failure outside the plugin call on the last attempt, or workers that kept dying):
    /// `failed` when nothing was sent, `unconfirmed` when something may have been, and the notice
    /// goes to the chat that asked. The raw reason stays in the log.
    public func deadLettered(_ job: StageJob, reason: String) async throws {
        guard let request = try? job.decodePayload(as: PublishJob.self) else { return }
        let tenant = TenantID(request.tenantID)
        guard let post = try await dependencies.posts.post(request.postID, tenant: tenant),
            let target = post.targets.first(where: { $0.id == request.targetID })
        else { return }
        logger.error("publish given up", metadata: [LogKey.postID: "\(post.id)", LogKey.error: "\(reason)"])
        var attempt = PublishAttempt(stage: self, post: post, target: target, tenant: tenant, isLast: true)
        try await attempt.giveUp()
    }
}

/// A retry the platform or its limits asked for; nothing was posted (or the outcome is being
/// reconciled). The stage retries no sooner than `retryAfter`.
struct PublishRetry: RetryAfterError, CustomStringConvertible {
    let retryAfter: Duration?
    let description: String
}
