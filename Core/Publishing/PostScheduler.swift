public import Foundation
public import Logging
public import ServiceLifecycle

/// The `[scheduled]` step of DESIGN §2: publish jobs waiting for their time in a Redis sorted set
/// (scored by due time, milliseconds), moved atomically into the publish stage's stream when due.
///
/// The set, the jobs and the stream share the publish stage's hash tag, so one Lua script moves a
/// due job with no window in which it is in neither place (or both). Redis's own clock decides
/// what is due, so schedulers on several machines agree. As a `Service`, the scheduler drains
/// everything due, in batches, then waits exactly until the next due time (`BLPOP` on a wake-up
/// list with that timeout, at most `interval`), and `schedule` pushes to the list, so a job due
/// sooner than the one waited for wakes it at once: no polling, and lateness is a round trip.
public final class PostScheduler: Service, Sendable {
    private let redis: RedisClient
    private let keys: StageKeys
    private let interval: Duration
    private let batch: Int
    private let logger: Logger

    /// Creates the scheduler of the `publish` stage (or of `stage`, for tests that need one of their own).
    /// - Parameter interval: the longest wait between two looks at the schedule (a job scheduled
    ///   by a process whose wake-up was lost is still found within it).
    public init(redis: RedisClient, stage: String = PublishStage.stage, interval: Duration = .seconds(1), batch: Int = 500, logger: Logger) {
        self.redis = redis
        self.keys = StageKeys(stage: stage)
        self.interval = interval
        self.batch = batch
        self.logger = logger
    }

    private var scheduled: String { keys.scheduled }
    private var jobs: String { keys.scheduledJobs }
    /// A list holding at most one token: pushed by `schedule`, waited on by `run`.
    private var wake: String { keys.scheduled + ":wake" }

    /// Schedules `jobs` to enter the publish stream at `time` (now, if it has passed).
    public func schedule(_ jobs: [PublishJob], at time: Date) async throws {
        let due = Int64((time.timeIntervalSince1970 * 1000).rounded(.up))
        var commands: [RedisCommand] = []
        for job in jobs {
            let member = job.targetID.uuidString.lowercased()
            commands.append(RedisCommand("HSET", self.jobs, member, job.stageJob.scheduledForm))
            commands.append(RedisCommand("ZADD", scheduled, due, member))
        }
        commands += [RedisCommand("LPUSH", wake, "1"), RedisCommand("LTRIM", wake, 0, 0)]
        for reply in try await redis.pipeline(commands) { _ = try reply.throwingError() }
    }

    /// Schedules `job` at `time` unless its target is on the schedule already (at any time: a job
    /// held back by a rate limit keeps its later place). Returns whether it was added.
    public func scheduleIfAbsent(_ job: PublishJob, at time: Date) async throws -> Bool {
        let due = Int64((time.timeIntervalSince1970 * 1000).rounded(.up))
        let member = job.targetID.uuidString.lowercased()
        let replies = try await redis.pipeline([
            RedisCommand("HSETNX", jobs, member, job.stageJob.scheduledForm), RedisCommand("ZADD", scheduled, "NX", due, member),
            RedisCommand("LPUSH", wake, "1"), RedisCommand("LTRIM", wake, 0, 0),
        ])
        for reply in replies { _ = try reply.throwingError() }
        return replies[1].int == 1
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
        try await drain().moved
    }

    /// Moves every due job, and says how long until the next one is due (`nil`: none is scheduled).
    func drain() async throws -> (moved: Int, next: Duration?) {
        var moved = 0
        while true {
            let reply = try await redis.run(
                Self.promote, keys: [scheduled, jobs, keys.stream], arguments: [batch, keys.idempotency(""), Self.markerLifetime]
            ).throwingError()
            let count = reply.array?.first?.int ?? 0
            moved += count
            if count < batch {
                let wait = reply.array?.dropFirst().first?.int ?? -1
                return (moved, wait < 0 ? nil : .milliseconds(wait))
            }
        }
    }

    /// Promotes due jobs as they fall due until graceful shutdown.
    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var backoff = Backoff()
            while !Task.isCancelled {
                do {
                    let next = try await self.drain().next
                    backoff.reset()
                    let wait = min(next ?? self.interval, self.interval)
                    // BLPOP takes seconds with decimals; a job due now is promoted on the next turn without waiting.
                    if wait > .zero { try await self.waitForWakeUp(at: wait) }
                } catch is CancellationError {
                    return
                } catch {
                    self.logger.info("post scheduler could not reach Redis; retrying", metadata: [LogKey.error: "\(error)"])
                    try await backoff.wait()
                }
            }
        }
    }

    /// Waits `wait`, or less when `schedule` pushes a token (a job due sooner). The due time is
    /// kept by a local timer that pushes a token itself: Redis ends a blocking command's timeout
    /// only on its own clock tick (`hz`, 100 ms by default), too coarse for a due time. A blocking
    /// call on a pooled connection is not interrupted by cancellation, so a shutdown pushes one
    /// too. Another scheduler on the same Redis may take a token; this wait then ends at `interval`
    /// (which must stay under the Redis client's command timeout), and that one promotes the job.
    private func waitForWakeUp(at wait: Duration) async throws {
        let (redis, wake, longest) = (self.redis, self.wake, String(format: "%.3f", Double(interval.milliseconds) / 1000))
        try await withTaskCancellationHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { _ = try await redis.send(RedisCommand("BLPOP", wake, longest)).throwingError() }
                group.addTask {
                    try await Task.sleep(for: wait)
                    _ = try await redis.send(RedisCommand("LPUSH", wake, "due"))
                }
                try await group.next()
                group.cancelAll()
                // The timer's token ends the BLPOP at once; a BLPOP woken first ends the timer.
                while let _ = try? await group.next() {}
            }
        } onCancel: {
            Task { _ = try? await redis.send(RedisCommand("LPUSH", wake, "stop")) }
        }
    }

    /// How long the enqueue-once marker a moved job leaves keeps a confirmation from queueing the
    /// same target again (seconds): the stage queue's own idempotency lifetime.
    static let markerLifetime = 86_400

    /// Each job moved sets the same enqueue-once marker `StageQueue.enqueue` sets for its id (the
    /// publish stage's `idem:` prefix, ARGV[2]), so a confirmation that comes after the move adds
    /// no second job for the target: one marker covers both ways in.
    /// KEYS: scheduled set, job hash, stream. ARGV: batch size, marker prefix, marker lifetime s.
    /// Returns how many moved and the milliseconds until the next job is due (0 when one already
    /// is, -1 when none is scheduled).
    static let promote = RedisScript(
        name: "publish.promote",
        source: """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, ARGV[1])
            if #due > 0 then
                local values = redis.call('HMGET', KEYS[2], unpack(due))
                for i = 1, #due do
                    local value = values[i]
                    if value then
                        if string.byte(value, 1) == 123 then
                            -- '{': a job scheduled by an earlier version, as JSON.
                            local job = cjson.decode(value)
                            redis.call('XADD', KEYS[3], '*', 'id', job.id, 'key', job.key, 'seq', job.seq,
                                'attempt', job.attempt, 'payload', job.payload)
                            redis.call('SET', ARGV[2] .. job.id, job.id, 'EX', ARGV[3])
                        else
                            local id, key, seq, attempt, payload = string.match(value, '^(.-)\\031(.-)\\031(.-)\\031(.-)\\031(.*)$')
                            redis.call('XADD', KEYS[3], '*', 'id', id, 'key', key, 'seq', seq, 'attempt', attempt, 'payload', payload)
                            -- Same slot: the marker shares the stage's hash tag.
                            redis.call('SET', ARGV[2] .. id, id, 'EX', ARGV[3])
                        end
                    end
                end
                redis.call('HDEL', KEYS[2], unpack(due))
                redis.call('ZREM', KEYS[1], unpack(due))
            end
            local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
            local wait = -1
            if first[2] then wait = math.max(0, tonumber(first[2]) - now) end
            return {#due, wait}
            """
    )
}
