public import Foundation
public import Logging
public import ServiceLifecycle

/// The `[scheduled]` step of DESIGN §2: publish jobs waiting for their time in a Redis sorted set
/// (scored by due time, milliseconds), moved atomically into the publish stage's stream when due.
///
/// The set, the jobs and the stream share the publish stage's hash tag, so one Lua script moves a
/// due job with no window in which it is in neither place (or both). Redis's own clock decides
/// what is due, so schedulers on several machines agree. As a `Service`, the scheduler polls
/// every `interval` and drains everything due, in batches, before it sleeps again.
public final class PostScheduler: Service, Sendable {
    private let redis: RedisClient
    private let keys: StageKeys
    private let interval: Duration
    private let batch: Int
    private let logger: Logger

    /// Creates the scheduler of the `publish` stage (or of `stage`, for tests that need one of their own).
    public init(redis: RedisClient, stage: String = PublishStage.stage, interval: Duration = .milliseconds(100), batch: Int = 500, logger: Logger) {
        self.redis = redis
        self.keys = StageKeys(stage: stage)
        self.interval = interval
        self.batch = batch
        self.logger = logger
    }

    private var scheduled: String { keys.scheduled }
    private var jobs: String { keys.scheduledJobs }

    /// Schedules `jobs` to enter the publish stream at `time` (now, if it has passed).
    public func schedule(_ jobs: [PublishJob], at time: Date) async throws {
        let due = Int64((time.timeIntervalSince1970 * 1000).rounded(.up))
        var commands: [RedisCommand] = []
        for job in jobs {
            let member = job.targetID.uuidString.lowercased()
            commands.append(RedisCommand("HSET", self.jobs, member, job.stageJob.scriptJSON))
            commands.append(RedisCommand("ZADD", scheduled, due, member))
        }
        for reply in try await redis.pipeline(commands) { _ = try reply.throwingError() }
    }

    /// Takes targets off the schedule (a cancelled post). A target already moved to the stream is
    /// stopped by its cancelled state instead.
    public func unschedule(_ targetIDs: [UUID]) async throws {
        guard !targetIDs.isEmpty else { return }
        let members = targetIDs.map { $0.uuidString.lowercased() }
        for reply in try await redis.pipeline([
            RedisCommand("ZREM", arguments: [scheduled] + members), RedisCommand("HDEL", arguments: [jobs] + members),
        ]) {
            _ = try reply.throwingError()
        }
    }

    /// Jobs waiting for their time.
    public func pending() async throws -> Int {
        try await redis.send(RedisCommand("ZCARD", scheduled)).throwingError().int ?? 0
    }

    /// Moves every due job into the stream; returns how many moved.
    @discardableResult
    public func promoteDue() async throws -> Int {
        var moved = 0
        while true {
            let reply = try await redis.run(Self.promote, keys: [scheduled, jobs, keys.stream], arguments: [batch])
            let count = try reply.throwingError().int ?? 0
            moved += count
            if count < batch { return moved }
        }
    }

    /// Promotes due jobs every `interval` until graceful shutdown.
    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var backoff = Backoff()
            while !Task.isCancelled {
                do {
                    try await self.promoteDue()
                    backoff.reset()
                    try await Task.sleep(for: self.interval)
                } catch is CancellationError {
                    return
                } catch {
                    self.logger.info("post scheduler could not reach Redis; retrying", metadata: [LogKey.error: "\(error)"])
                    try await backoff.wait()
                }
            }
        }
    }

    /// KEYS: scheduled set, job hash, stream. ARGV: batch size. Returns how many moved.
    static let promote = RedisScript(
        name: "publish.promote",
        source: """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, ARGV[1])
            for _, member in ipairs(due) do
                local json = redis.call('HGET', KEYS[2], member)
                if json then
                    local job = cjson.decode(json)
                    redis.call('XADD', KEYS[3], '*', 'id', job.id, 'key', job.key, 'seq', job.seq,
                        'attempt', job.attempt, 'payload', job.payload)
                    redis.call('HDEL', KEYS[2], member)
                end
                redis.call('ZREM', KEYS[1], member)
            end
            return #due
            """
    )
}
