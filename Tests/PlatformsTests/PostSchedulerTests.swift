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
}
