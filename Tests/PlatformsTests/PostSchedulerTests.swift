import Foundation
import LeopostCore
import LeopostTestSupport
import Testing

/// The scheduler waits for the next due time instead of polling: with a look at most every 20 s,
/// a job due in a moment still goes out in a moment, whether it was scheduled before the
/// scheduler started waiting or while it waited for a later one.
@Suite("Post scheduler: waits for the next due time, woken by earlier jobs")
struct PostSchedulerTests {
    @Test func jobsDueSoonerThanTheLongestWaitArePromotedWhenDue() async throws {
        let logger = TestEnvironment.logger()
        try await withTestRedis(logger: logger) { (redis) async throws in
            let stage = TestEnvironment.uniqueName("schedule")
            let keys = StageKeys(stage: stage)
            let scheduler = PostScheduler(redis: redis, stage: stage, interval: .seconds(20), logger: logger)
            let later = PublishJob(tenantID: UUID(), postID: UUID(), targetID: UUID())
            try await scheduler.schedule([later], at: Date().addingTimeInterval(3600))
            try await withRunningServices([scheduler], logger: logger) {
                // The scheduler now waits for the job an hour away; one due in 300 ms wakes it.
                try await Task.sleep(for: .milliseconds(200))
                let soon = PublishJob(tenantID: UUID(), postID: UUID(), targetID: UUID())
                try await scheduler.schedule([soon], at: Date().addingTimeInterval(0.3))
                try await eventually("the job due soon in the stream", timeout: .seconds(10)) {
                    try await redis.send(RedisCommand("XLEN", keys.stream)).int == 1
                }
                // Woken by one due in a second, it finds it not due yet and waits exactly until it is.
                let next = PublishJob(tenantID: UUID(), postID: UUID(), targetID: UUID())
                try await scheduler.schedule([next], at: Date().addingTimeInterval(1))
                try await eventually("the second job in the stream", timeout: .seconds(10)) {
                    try await redis.send(RedisCommand("XLEN", keys.stream)).int == 2
                }
                #expect(try await scheduler.pending() == 1, "the job an hour away still waits")
            }
            _ = try await redis.send(RedisCommand("DEL", keys.stream, keys.scheduled, keys.scheduledJobs))
        }
    }

    @Test func aJobScheduledInTheEarlierJSONFormIsStillPromoted() async throws {
        let logger = TestEnvironment.logger()
        try await withTestRedis(logger: logger) { (redis) async throws in
            let stage = TestEnvironment.uniqueName("schedule")
            let keys = StageKeys(stage: stage)
            let scheduler = PostScheduler(redis: redis, stage: stage, logger: logger)
            let new = PublishJob(tenantID: UUID(), postID: UUID(), targetID: UUID())
            try await scheduler.schedule([new], at: Date())
            // As the scheduler before this one stored a job: JSON, every value a string.
            let old = PublishJob(tenantID: UUID(), postID: UUID(), targetID: UUID())
            let payload = String(decoding: try JSONEncoder().encode(old), as: UTF8.self)
            let json = String(
                decoding: try JSONSerialization.data(
                    withJSONObject: ["id": "old-1", "key": "", "seq": "0", "attempt": "1", "payload": payload], options: [.sortedKeys]),
                as: UTF8.self)
            let member = old.targetID.uuidString.lowercased()
            _ = try await redis.pipeline([RedisCommand("HSET", keys.scheduledJobs, member, json), RedisCommand("ZADD", keys.scheduled, 0, member)])
            #expect(try await scheduler.promoteDue() == 2)
            let entries = try await redis.send(RedisCommand("XRANGE", keys.stream, "-", "+"))
            let fields = (entries.array ?? []).compactMap { $0.array?.last?.array?.compactMap(\.string) }
            #expect(fields.count == 2)
            #expect(fields.contains { $0.contains("old-1") && $0.contains(payload) })
            #expect(fields.allSatisfy { $0.count == 10 && $0[0] == "id" && $0[8] == "payload" })
            #expect(try await scheduler.pending() == 0)
            _ = try await redis.send(RedisCommand("DEL", keys.stream, keys.scheduled, keys.scheduledJobs, keys.scheduled + ":wake"))
        }
    }

    @Test func aConfirmationAfterTheMoveQueuesNoSecondJob() async throws {
        let logger = TestEnvironment.logger()
        try await withTestRedis(logger: logger) { (redis) async throws in
            let stage = TestEnvironment.uniqueName("schedule")
            let keys = StageKeys(stage: stage)
            let scheduler = PostScheduler(redis: redis, stage: stage, logger: logger)
            let targetID = UUID()
            let job = PublishJob(tenantID: UUID(), postID: UUID(), targetID: targetID)
            try await scheduler.schedule([job], at: Date())
            #expect(try await scheduler.promoteDue() == 1)
            // What `Publisher.confirm` does for a post whose time has come: the same job id as idempotency key.
            let payload = String(decoding: try JSONEncoder().encode(job), as: UTF8.self)
            let id = "publish:\(targetID.uuidString.lowercased())"
            let again = try await StageQueue(stage: stage, redis: redis).enqueue(payload, idempotencyKey: id, jobID: id)
            #expect(!again.added, "the scheduler's move set the marker the confirmation checks")
            #expect(try await redis.send(RedisCommand("XLEN", keys.stream)).int == 1)
            _ = try await redis.send(RedisCommand("DEL", keys.stream, keys.scheduled, keys.scheduledJobs, keys.idempotency(id)))
        }
    }
}
