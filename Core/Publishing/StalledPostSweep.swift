public import Foundation
public import Logging

/// Makes "confirmed means it will be published" true when Redis lost the work: a confirmed post's
/// target still `queued` or `publishing` long after it should have moved (its job, or its place
/// on the schedule, was lost with Redis's data, or never reached Redis) is queued again, or put
/// back on the schedule from `scheduled_at` in PostgreSQL.
///
/// Idempotent: a target's job id is its key, so a target whose job is alive (waiting out a rate
/// limit, retrying) gets nothing added, and one still on the schedule keeps its place. A second
/// job could only come from a marker that expired; the stage's conditional move to `publishing`
/// and its in-flight window keep that one from posting twice. Run by the ``StalledMessageSweeper``.
public struct StalledPostSweep: Sendable {
    /// When targets count as stalled.
    public struct Configuration: Sendable {
        /// How long a target may stay `queued` or `publishing` before it is looked at: above a
        /// plugin call's in-flight window, so a live attempt is rarely even listed.
        public var waited: Duration
        /// Scheduled posts due within this are put back on the schedule if they are missing from it;
        /// later ones are looked at when their time comes near.
        public var ahead: Duration
        /// The most targets looked at per sweep.
        public var batch: Int

        /// Creates a configuration.
        public init(waited: Duration = .seconds(300), ahead: Duration = .seconds(600), batch: Int = 500) {
            self.waited = waited
            self.ahead = ahead
            self.batch = batch
        }
    }

    private let posts: PostStore
    private let queue: StageQueue
    private let scheduler: PostScheduler
    private let configuration: Configuration
    private let logger: Logger

    /// Creates the sweep of the `publish` stage (or of `stage`, for tests).
    public init(
        postgres: PostgresPool, redis: RedisClient, stage: String = PublishStage.stage, configuration: Configuration = .init(), logger: Logger
    ) {
        self.posts = PostStore(pool: postgres)
        self.queue = StageQueue(stage: stage, redis: redis)
        self.scheduler = PostScheduler(redis: redis, stage: stage, logger: logger)
        self.configuration = configuration
        self.logger = logger
    }

    /// Queues or schedules again every stalled target; returns how many were actually added.
    @discardableResult
    public func sweep(now: Date = Date()) async throws -> Int {
        var requeued = 0
        for found in try await posts.stalledTargets(waited: configuration.waited, ahead: configuration.ahead, limit: configuration.batch) {
            let job = PublishJob(tenantID: found.tenant.rawValue, postID: found.postID, targetID: found.targetID)
            let added: Bool
            if let time = found.scheduledAt, time > now {
                added = try await scheduler.scheduleIfAbsent(job, at: time)
            } else {
                added = try await queue.publish(job)
            }
            if added {
                requeued += 1
                logger.notice(
                    "a confirmed post target had no publish job; queued it again",
                    metadata: [LogKey.postID: "\(found.postID)", LogKey.tenantID: "\(found.tenant)"])
            }
        }
        return requeued
    }
}
