import Foundation
import LeopostCore
import LeopostTestSupport
import Testing

/// A confirmed post whose job Redis lost is not forgotten: the sweep finds its targets from
/// PostgreSQL and queues them again (or puts them back on the schedule from `scheduled_at`),
/// once, and the post goes out once.
@Suite("Stalled post sweep: lost publish jobs and schedules are rebuilt from PostgreSQL")
struct StalledPostSweepTests {
    /// What a Redis that lost its data leaves: no job in the stream, no marker, no schedule.
    static func loseRedisData(_ harness: PublishHarness) async throws {
        let keys = StageKeys(stage: harness.stage)
        _ = try await harness.redis.send(RedisCommand("DEL", keys.stream, keys.scheduled, keys.scheduledJobs))
        let markers = try await harness.redis.send(RedisCommand("KEYS", keys.idempotency("*"))).array?.compactMap(\.string) ?? []
        if !markers.isEmpty { _ = try await harness.redis.send(RedisCommand("DEL", arguments: markers)) }
        // Long enough ago to count as stalled.
        _ = try await harness.database.owner.query("UPDATE post_targets SET updated_at = now() - interval '10 minutes'")
    }

    @Test func aConfirmedPostWhoseJobWasLostIsQueuedAgainOnceAndPublishedOnce() async throws {
        try await PublishHarness.with(runWorker: false) { harness in
            let id = try await harness.publish("Lost with Redis, found in PostgreSQL.", platforms: ["linkedin"])
            try await Self.loseRedisData(harness)
            let logger = TestEnvironment.logger()
            let sweep = StalledPostSweep(postgres: harness.database.app, redis: harness.redis, stage: harness.stage, logger: logger)
            #expect(try await sweep.sweep() == 1)
            #expect(try await sweep.sweep() == 0, "the job queued again is not queued twice")
            let worker = PublishHarness.worker(
                stage: harness.stage, redis: harness.redis, database: harness.database, registry: harness.registry,
                retry: RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(100)), logger: logger)
            try await withRunningServices([worker], logger: logger) {
                let settled = try await harness.settled(id)
                #expect(settled.targets.map(\.status) == [.published])
            }
            #expect(harness.linkedIn.ledger.posts.count == 1)
        }
    }

    @Test func aScheduledPostWhoseScheduleWasLostIsScheduledAgainForItsTime() async throws {
        try await PublishHarness.with(runWorker: false) { harness in
            _ = try await harness.publish("Due in two minutes.", platforms: ["linkedin"], scheduledAt: Date().addingTimeInterval(120))
            try await Self.loseRedisData(harness)
            let logger = TestEnvironment.logger()
            let scheduler = PostScheduler(redis: harness.redis, stage: harness.stage, logger: logger)
            #expect(try await scheduler.pending() == 0)
            let sweep = StalledPostSweep(postgres: harness.database.app, redis: harness.redis, stage: harness.stage, logger: logger)
            #expect(try await sweep.sweep() == 1)
            #expect(try await scheduler.pending() == 1)
            #expect(try await sweep.sweep() == 0, "a target on the schedule keeps its place")
            let score = try await harness.redis.send(RedisCommand("ZRANGE", StageKeys(stage: harness.stage).scheduled, 0, 0, "WITHSCORES"))
            let due = Double(score.array?.last?.string ?? "0") ?? 0
            #expect(due > Date().addingTimeInterval(100).timeIntervalSince1970 * 1000, "scheduled for its time, not for now")
        }
    }
}
