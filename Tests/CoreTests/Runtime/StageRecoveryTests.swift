import Foundation
import LeopostTestSupport
import Testing

@testable import LeopostCore

@Suite("Stage runtime: recovery from crashes and lost state")
struct StageRecoveryTests {
    let logger = TestEnvironment.logger()

    func configuration(_ name: String, maxAttempts: Int = 5, visibility: Duration = .seconds(10)) -> StageWorker.Configuration {
        fastConfiguration(name, retry: RetryPolicy(maxAttempts: maxAttempts, baseDelay: .milliseconds(20)), visibility: visibility)
    }

    @Test func aJobThatKeepsKillingWorkersIsDeadLetteredNotRetriedForever() async throws {
        try await withTestRedis(logger: logger) { (redis) async throws in
            let stage = TestEnvironment.uniqueName("poison")
            let queue = StageQueue(stage: stage, redis: redis)
            let keys = queue.keys
            try await redis.send(RedisCommand("XGROUP", "CREATE", keys.stream, keys.group, "0", "MKSTREAM"))
            try await queue.enqueue("segfaults the handler", jobID: "poison-1")
            // Three workers took it in turn and died holding it.
            let read = try await redis.send(RedisCommand("XREADGROUP", "GROUP", keys.group, "dead-1", "COUNT", 1, "STREAMS", keys.stream, ">"))
            let id = try #require(StreamEntry.parseRead(read).first?.id)
            for consumer in ["dead-2", "dead-3"] {
                try await redis.send(RedisCommand("XCLAIM", keys.stream, keys.group, consumer, 0, id))
            }
            let log = JobLog()
            let worker = StageWorker(
                stage: stage, redis: redis, handler: ClosureStageHandler { log.append($0) },
                configuration: configuration("survivor", maxAttempts: 3, visibility: .milliseconds(200)), logger: logger
            )
            try await withRunningServices([worker], logger: logger) {
                try await eventually { try await !queue.deadLetters().isEmpty }
            }
            #expect(log.count == 0, "the handler must not run a job that killed every worker before")
            let dead = try #require(try await queue.deadLetters().first)
            #expect(dead.job.id == "poison-1")
            #expect(dead.reason.contains("delivered 4 times"))
        }
    }

    @Test func workersRecreateAVanishedConsumerGroup() async throws {
        try await withTestRedis(logger: logger) { (redis) async throws in
            let stage = TestEnvironment.uniqueName("nogroup")
            let queue = StageQueue(stage: stage, redis: redis)
            let log = JobLog()
            let worker = StageWorker(
                stage: stage, redis: redis, handler: ClosureStageHandler { log.append($0) }, configuration: configuration("w1"), logger: logger
            )
            try await withRunningServices([worker], logger: logger) {
                try await queue.enqueue("before")
                try await eventually { log.count == 1 }
                // Redis lost the stream and its group; a producer recreates the stream without the group.
                try await redis.send(RedisCommand("DEL", queue.keys.stream))
                try await queue.enqueue("after")
                try await eventually { log.count == 2 }
            }
            #expect(log.jobs.map(\.payload) == ["before", "after"])
        }
    }

    @Test func aLostSequenceCounterNeverMakesANewJobLookFinished() async throws {
        try await withTestRedis(logger: logger) { (redis) async throws in
            let stage = TestEnvironment.uniqueName("seq")
            let queue = StageQueue(stage: stage, redis: redis)
            // Ten jobs of the conversation finished earlier; then its sequence counter expired or was evicted.
            try await redis.send(RedisCommand("SET", queue.keys.finished("c1"), 10))
            try await queue.enqueue("eleventh", orderingKey: "c1")
            let log = JobLog()
            let worker = StageWorker(
                stage: stage, redis: redis, handler: ClosureStageHandler { log.append($0) }, configuration: configuration("w1"), logger: logger
            )
            try await withRunningServices([worker], logger: logger) {
                try await eventually { log.count == 1 }
            }
            #expect(log.jobs.first?.sequence == 11)
            #expect(try await redis.send(RedisCommand("XLEN", queue.keys.stream)).int == 0, "handled entries are deleted")
        }
    }

    @Test func aLostFinishedCounterDoesNotParkAConversationForever() async throws {
        try await withTestRedis(logger: logger) { (redis) async throws in
            let stage = TestEnvironment.uniqueName("done")
            let queue = StageQueue(stage: stage, redis: redis)
            let log = JobLog()
            var settings = configuration("w1")
            settings.parkedLimit = .milliseconds(400)
            let worker = StageWorker(
                stage: stage, redis: redis, handler: ClosureStageHandler { log.append($0) }, configuration: settings, logger: logger)
            try await withRunningServices([worker], logger: logger) {
                for text in ["first", "second"] { try await queue.enqueue(text, orderingKey: "c1") }
                try await eventually { log.count == 2 }
                // Redis lost the conversation's `done` counter (restored from an older file, or a key deleted by hand):
                // the next job is numbered 3 and waits for a second job that will never finish again.
                try await redis.send(RedisCommand("DEL", queue.keys.finished("c1")))
                try await queue.enqueue("third", orderingKey: "c1")
                try await queue.enqueue("fourth", orderingKey: "c1")
                try await eventually(timeout: .seconds(20)) { log.count == 4 }
            }
            #expect(log.jobs.map(\.payload) == ["first", "second", "third", "fourth"], "released in order, each once")
            #expect(try await redis.send(RedisCommand("ZCARD", queue.keys.parkedSince)).int == 0, "nothing is left waiting")
        }
    }
}
