import Foundation
import LeopostTestSupport
import Synchronization
import Testing

@testable import LeopostCore

/// One owner per job: a worker whose Redis stalls past the visibility timeout stops its handler
/// before another worker takes the job, and records no outcome when it comes back.
@Suite("Stage runtime: one owner per job")
struct StageOwnershipTests {
    let logger = TestEnvironment.logger()

    /// Records a job's effect when its gate opens; a cancelled handler records nothing.
    struct GatedHandler: StageHandler {
        let started: JobLog
        let effects: JobLog
        let gate: @Sendable (StageJob) async throws -> Void

        func handle(_ job: StageJob) async throws {
            started.append(job)
            try await gate(job)
            effects.append(job)
        }
    }

    @Test func aStalledWorkersJobIsRunOnceByTheWorkerThatTookItOverInOrder() async throws {
        try await withTestRedis(logger: logger) { (redis) async throws in
            let proxy = try await StallingProxy(targetPort: redis.url.port)
            let stalledRedis = RedisClient(
                url: RedisURL(host: "127.0.0.1", port: proxy.port, database: redis.url.database),
                configuration: .init(commandTimeout: .milliseconds(300)), logger: logger)
            let stage = TestEnvironment.uniqueName("owner")
            let queue = StageQueue(stage: stage, redis: redis)
            let (startedA, effects, startedB) = (JobLog(), JobLog(), JobLog())
            // Worker A holds its first job until worker B has done it, as a slow effect would: had A
            // kept running, it would then do it a second time.
            let slowA = GatedHandler(started: startedA, effects: effects) { job in
                let deadline = ContinuousClock.now + .seconds(20)
                while !effects.jobs.contains(where: { $0.id == job.id }), ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
            let visibility = Duration.seconds(2)
            let workerA = StageWorker(
                stage: stage, redis: stalledRedis, handler: slowA, configuration: fastConfiguration("a", visibility: visibility), logger: logger)
            let workerB = StageWorker(
                stage: stage, redis: redis, handler: GatedHandler(started: startedB, effects: effects) { _ in },
                configuration: fastConfiguration("b", visibility: visibility), logger: logger)
            try await queue.enqueue("first", orderingKey: "conversation", jobID: "x1")
            try await queue.enqueue("second", orderingKey: "conversation", jobID: "x2")
            try await withRunningServices([workerA], logger: logger) {
                try await eventually("worker A to start the first job") { startedA.count == 1 }
                proxy.stall()
                try await withRunningServices([workerB], logger: logger) {
                    try await eventually("worker B to take both jobs over and finish them", timeout: .seconds(30)) { effects.count == 2 }
                    proxy.resume()
                    // A's heartbeat gets through again: it must find the job gone and record nothing.
                    try await Task.sleep(for: visibility)
                }
            }
            await stalledRedis.close()
            await proxy.close()
            #expect(effects.jobs.map(\.id) == ["x1", "x2"], "each job's effect once, in the conversation's order")
            #expect(startedA.jobs.map(\.id) == ["x1"])
            #expect(try await queue.deadLetters().isEmpty)
            #expect(try await redis.send(RedisCommand("XLEN", queue.keys.stream)).int == 0)
        }
    }

    @Test func aHeartbeatNeverTakesBackAnEntryAnotherConsumerOwns() async throws {
        try await withTestRedis(logger: logger) { (redis) async throws in
            let stage = TestEnvironment.uniqueName("renew")
            let queue = StageQueue(stage: stage, redis: redis)
            let keys = queue.keys
            try await redis.send(RedisCommand("XGROUP", "CREATE", keys.stream, keys.group, "0", "MKSTREAM"))
            try await queue.enqueue("one", jobID: "j1")
            let read = try await redis.send(RedisCommand("XREADGROUP", "GROUP", keys.group, "old", "COUNT", 1, "STREAMS", keys.stream, ">"))
            let id = try #require(StreamEntry.parseRead(read).first?.id)
            try await redis.send(RedisCommand("XCLAIM", keys.stream, keys.group, "new", 0, id))
            let lost = try await redis.run(StageScripts.renew, keys: [keys.stream], arguments: [keys.group, "old", id]).array?.compactMap(\.string)
            #expect(lost == [id])
            let owner = try await redis.send(RedisCommand("XPENDING", keys.stream, keys.group, id, id, 1)).array?.first?.array?[1].string
            #expect(owner == "new")
            // Nor does the old owner's outcome count.
            let job = StageJob(id: "j1", orderingKey: nil, sequence: 0, attempt: 1, payload: "one")
            let finished = try await redis.run(
                StageScripts.finish, keys: [keys.stream, keys.deadLetters, keys.unused, keys.unused, keys.parkedSince],
                arguments: [keys.group, id, job.scriptJSON, "0", "", "0", 60, 100, "old"])
            #expect(finished.int == -1)
            #expect(try await redis.send(RedisCommand("XLEN", keys.stream)).int == 1)
        }
    }
}
