import Foundation
import LeopostTestSupport
import Logging
import Synchronization
import Testing

@testable import LeopostCore

/// Records what handlers saw, from many tasks at once.
final class JobLog: Sendable {
    private let entries = Mutex<[(job: StageJob, at: ContinuousClock.Instant)]>([])
    func append(_ job: StageJob) { entries.withLock { $0.append((job, .now)) } }
    var jobs: [StageJob] { entries.withLock { $0.map(\.job) } }
    var times: [ContinuousClock.Instant] { entries.withLock { $0.map(\.at) } }
    var count: Int { entries.withLock(\.count) }
}

/// Short timings so tests are quick; the visibility timeout stays generous because the whole
/// suite runs in parallel on two cores, and a late heartbeat would look like a dead worker.
func fastConfiguration(
    _ name: String,
    concurrency: Int = 4,
    retry: RetryPolicy = RetryPolicy(),
    visibility: Duration = .seconds(10)
) -> StageWorker.Configuration {
    StageWorker.Configuration(
        concurrency: concurrency, visibilityTimeout: visibility, readBlock: .milliseconds(100),
        promoteInterval: .milliseconds(20), retry: retry, consumerName: name
    )
}

@Suite("Stage runtime on Redis Streams")
struct StageRuntimeTests {
    let logger = TestEnvironment.logger()

    @Test func handlesEveryJobAndAcksIt() async throws {
        try await withTestRedis(logger: logger) { (redis) async throws in
            let stage = TestEnvironment.uniqueName("basic")
            let queue = StageQueue(stage: stage, redis: redis)
            let log = JobLog()
            for index in 0..<50 { try await queue.enqueue("{\"n\":\(index)}") }
            let worker = StageWorker(
                stage: stage, redis: redis, handler: ClosureStageHandler { log.append($0) }, configuration: fastConfiguration("w1"), logger: logger)
            try await withRunningServices([worker], logger: logger) {
                try await eventually { log.count == 50 }
                try await eventually { try await queue.backlog() == (0, 0) }
            }
            #expect(Set(log.jobs.map(\.payload)).count == 50)
        }
    }

    @Test func anIdempotencyKeyEnqueuesOnce() async throws {
        try await withTestRedis(logger: logger) { (redis) async throws in
            let queue = StageQueue(stage: TestEnvironment.uniqueName("idem"), redis: redis)
            let first = try await queue.enqueue("a", idempotencyKey: "telegram:42")
            let second = try await queue.enqueue("b", idempotencyKey: "telegram:42")
            #expect(first.added && !second.added)
            #expect(second.jobID == first.jobID)
            #expect(try await redis.send(RedisCommand("XLEN", queue.keys.stream)).int == 1)
        }
    }

    @Test func aFailingJobIsRetriedWithBackoffThenDeadLettered() async throws {
        try await withTestRedis(logger: logger) { (redis) async throws in
            let stage = TestEnvironment.uniqueName("fail")
            let queue = StageQueue(stage: stage, redis: redis)
            let log = JobLog()
            struct Upstream: Error, CustomStringConvertible { var description: String { "upstream answered 503" } }
            let retry = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(100), maxDelay: .seconds(2))
            let worker = StageWorker(
                stage: stage, redis: redis,
                handler: ClosureStageHandler { job in
                    log.append(job)
                    throw Upstream()
                },
                configuration: fastConfiguration("w1", retry: retry), logger: logger
            )
            try await queue.enqueue("doomed", jobID: "job-1")
            try await withRunningServices([worker], logger: logger) {
                // A bounded wait, not a timing: four attempts take under a second alone, far longer on a machine running every suite.
                try await eventually(timeout: .seconds(60)) { try await !queue.deadLetters().isEmpty }
            }
            #expect(log.jobs.map(\.attempt) == [1, 2, 3, 4])
            #expect(Set(log.jobs.map(\.id)) == ["job-1"])
            // Gaps are at least half the nominal backoff: 100, 200, 400 ms nominal.
            let times = log.times
            for (index, nominal) in [100, 200, 400].enumerated() {
                #expect(times[index + 1] - times[index] >= .milliseconds(nominal / 2))
            }
            let dead = try #require(try await queue.deadLetters().first)
            #expect(dead.job.id == "job-1")
            #expect(dead.reason.contains("4 of 4"))
            #expect(dead.reason.contains("upstream answered 503"))
            #expect(try await queue.backlog() == (0, 0))
        }
    }

    @Test func aPermanentFailureAndAMalformedEntryGoStraightToDeadLetters() async throws {
        try await withTestRedis(logger: logger) { (redis) async throws in
            let stage = TestEnvironment.uniqueName("perm")
            let queue = StageQueue(stage: stage, redis: redis)
            let log = JobLog()
            let worker = StageWorker(
                stage: stage, redis: redis,
                handler: ClosureStageHandler { job in
                    log.append(job)
                    throw StageFailure.permanent("payload is not JSON")
                },
                configuration: fastConfiguration("w1"), logger: logger
            )
            try await queue.enqueue("{{{")
            try await redis.send(RedisCommand("XADD", queue.keys.stream, "*", "garbage", "1"))
            try await withRunningServices([worker], logger: logger) {
                try await eventually { try await queue.deadLetters().count == 2 }
            }
            let reasons = try await queue.deadLetters().map(\.reason)
            #expect(reasons.contains("payload is not JSON"))
            #expect(reasons.contains { $0.contains("malformed stream entry") })
            #expect(log.count == 1)
        }
    }

    @Test func anEntryLeftPendingByADeadConsumerIsReclaimedAndHandledOnce() async throws {
        try await withTestRedis(logger: logger) { (redis) async throws in
            let stage = TestEnvironment.uniqueName("reclaim")
            let queue = StageQueue(stage: stage, redis: redis)
            let keys = queue.keys
            try await redis.send(RedisCommand("XGROUP", "CREATE", keys.stream, keys.group, "0", "MKSTREAM"))
            try await queue.enqueue("precious", jobID: "job-r")
            // A consumer reads the entry and dies before acking it.
            let read = try await redis.send(RedisCommand("XREADGROUP", "GROUP", keys.group, "crashed", "COUNT", 1, "STREAMS", keys.stream, ">"))
            #expect(StreamEntry.parseRead(read).count == 1)
            // The effect is recorded idempotently under the job id, as handlers must.
            let effects = TestEnvironment.uniqueName("effects")
            let worker = StageWorker(
                stage: stage, redis: redis,
                handler: ClosureStageHandler { job in
                    try await redis.send(RedisCommand("HSETNX", effects, job.id, job.payload))
                    try await redis.send(RedisCommand("HINCRBY", effects + ":runs", job.id, 1))
                },
                configuration: fastConfiguration("survivor", visibility: .seconds(1)), logger: logger
            )
            try await withRunningServices([worker], logger: logger) {
                try await eventually { try await queue.backlog().pending == 0 }
            }
            #expect(try await redis.send(RedisCommand("HGETALL", effects)).array?.compactMap(\.string) == ["job-r", "precious"])
            #expect(try await redis.send(RedisCommand("HGET", effects + ":runs", "job-r")).int == 1)
        }
    }

    @Test func oneKeyRunsInOrderWhileKeysRunInParallelAcrossWorkers() async throws {
        try await withTestRedis(logger: logger) { (redis) async throws in
            let stage = TestEnvironment.uniqueName("order")
            let queue = StageQueue(stage: stage, redis: redis)
            let log = JobLog()
            let running = Mutex<[String: Int]>([:])
            let overlaps = Atomic<Int>(0)
            let failedOnce = Mutex<Set<String>>([])
            let handler = ClosureStageHandler { job in
                let key = job.orderingKey ?? ""
                let concurrent = running.withLock { state -> Int in
                    state[key, default: 0] += 1
                    return state[key]!
                }
                if concurrent > 1 { overlaps.add(1, ordering: .relaxed) }
                try? await Task.sleep(for: .milliseconds(Int.random(in: 0...6)))
                running.withLock { $0[key, default: 1] -= 1 }
                // Every 7th job fails once: its successors must wait for the retry.
                if Int(job.payload)! % 7 == 3, failedOnce.withLock({ $0.insert(job.id).inserted }) {
                    struct Flaky: Error {}
                    throw Flaky()
                }
                log.append(job)
            }
            let retry = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(20))
            let workers = (1...2).map { index in
                StageWorker(
                    stage: stage, redis: redis, handler: handler, configuration: fastConfiguration("w\(index)", concurrency: 6, retry: retry),
                    logger: logger)
            }
            let conversations = (0..<6).map { "conversation-\($0)" }
            try await withRunningServices(workers, logger: logger) {
                for index in 0..<20 {
                    for conversation in conversations { try await queue.enqueue(String(index), orderingKey: conversation) }
                }
                try await eventually(timeout: .seconds(30)) { log.count >= 120 }
            }
            for conversation in conversations {
                let order = log.jobs.filter { $0.orderingKey == conversation }.map { Int($0.payload)! }
                #expect(order == Array(0..<20), "\(conversation) ran out of order: \(order)")
            }
            #expect(overlaps.load(ordering: .relaxed) == 0)
        }
    }

    @Test func gracefulShutdownLetsTheJobInHandFinish() async throws {
        try await withTestRedis(logger: logger) { (redis) async throws in
            let stage = TestEnvironment.uniqueName("shutdown")
            let queue = StageQueue(stage: stage, redis: redis)
            let started = JobLog()
            let finished = JobLog()
            let worker = StageWorker(
                stage: stage, redis: redis,
                handler: ClosureStageHandler { job in
                    started.append(job)
                    try await Task.sleep(for: .milliseconds(300))
                    finished.append(job)
                },
                configuration: fastConfiguration("w1"), logger: logger
            )
            try await queue.enqueue("slow")
            try await withRunningServices([worker], logger: logger) {
                try await eventually { started.count == 1 }
            }
            #expect(finished.count == 1)
            #expect(try await queue.backlog() == (0, 0))
        }
    }
}
