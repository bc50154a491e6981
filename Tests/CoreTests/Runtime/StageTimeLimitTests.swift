import Foundation
import LeopostTestSupport
import Synchronization
import Testing

@testable import LeopostCore

/// Nothing a stage does waits forever: a query stuck behind a lock ends by its statement timeout,
/// a handler that hangs ends by the stage's time limit, and a shutdown that waits on a hung job
/// hands it back after its grace period instead of never completing.
@Suite("Stage time limits: hung queries, hung handlers, shutdown")
struct StageTimeLimitTests {
    let logger = TestEnvironment.logger()

    func configuration(_ name: String) -> StageWorker.Configuration {
        var settings = fastConfiguration(name, retry: RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(20), maxDelay: .milliseconds(50)))
        settings.handlerTimeout = .milliseconds(500)
        settings.shutdownGrace = .milliseconds(300)
        return settings
    }

    @Test func aQueryStuckBehindALockEndsByItsStatementTimeoutAndTheJobIsRetried() async throws {
        try await TestDatabase.with(logger: logger) { database in
            var limited = database.owner.configuration
            limited.statementTimeout = .milliseconds(300)
            let pool = PostgresPool(configuration: limited, logger: logger)
            try await withTestRedis(logger: logger) { redis in
                let stage = TestEnvironment.uniqueName("hung")
                let queue = StageQueue(stage: stage, redis: redis)
                let failures = Mutex<[String]>([])
                let handler = ClosureStageHandler { _ in
                    do { _ = try await pool.query("SELECT count(*) FROM tenants") } catch let error as PostgresError {
                        failures.withLock { $0.append(error.sqlState ?? "") }
                        throw error
                    }
                }
                var settings = configuration("w1")
                settings.handlerTimeout = .seconds(60)
                let worker = StageWorker(stage: stage, redis: redis, handler: handler, configuration: settings, logger: logger)
                // Another session holds the table until the test lets go (it waits on an advisory lock the test holds).
                var single = database.owner.configuration
                single.maxConnections = 1
                let control = PostgresPool(configuration: single, logger: logger)
                defer { Task { await control.close() } }
                let key = Int.random(in: 1...Int(Int32.max))
                _ = try await control.query("SELECT pg_advisory_lock(\(key)::bigint)")
                async let holder: Void = database.owner.withConnection { connection in
                    try connection.withTransaction { connection in
                        _ = try connection.query("LOCK TABLE tenants IN ACCESS EXCLUSIVE MODE")
                        _ = try connection.query("SELECT pg_advisory_lock(\(key)::bigint), pg_advisory_unlock(\(key)::bigint)")
                    }
                }
                try await eventually("the table lock") {
                    try await control.query(
                        "SELECT count(*)::int AS n FROM pg_locks WHERE relation = 'tenants'::regclass AND mode = 'AccessExclusiveLock' AND granted"
                    )[0].decode(Int.self, column: "n") == 1
                }
                try await withRunningServices([worker], logger: logger) {
                    try await queue.enqueue("count the tenants", jobID: "count-1")
                    try await eventually("a cancelled query") { !failures.withLock { $0 }.isEmpty }
                    _ = try await control.query("SELECT pg_advisory_unlock(\(key)::bigint)")
                    try await eventually(timeout: .seconds(20)) { try await queue.backlog() == (0, 0) }
                }
                try await holder
                #expect(!failures.withLock { $0 }.isEmpty, "the query was cancelled by the server while the lock was held")
                #expect(failures.withLock { $0 }.allSatisfy { $0 == "57014" })
                #expect(try await queue.deadLetters().isEmpty, "retried until the lock was gone, then done")
            }
            await pool.close()
        }
    }

    @Test func aHandlerThatHangsIsStoppedByTheTimeLimitAndRetried() async throws {
        try await withTestRedis(logger: logger) { redis in
            let stage = TestEnvironment.uniqueName("slow")
            let queue = StageQueue(stage: stage, redis: redis)
            let runs = Mutex(0)
            let handler = ClosureStageHandler { _ in
                // The first run hangs (a call that never answers); the retry does not.
                if runs.withLock({
                    $0 += 1; return $0
                }) == 1 {
                    try await Task.sleep(for: .seconds(3600))
                }
            }
            let worker = StageWorker(stage: stage, redis: redis, handler: handler, configuration: configuration("w1"), logger: logger)
            try await withRunningServices([worker], logger: logger) {
                try await queue.enqueue("hangs once")
                try await eventually(timeout: .seconds(20)) { try await queue.backlog() == (0, 0) && runs.withLock { $0 } == 2 }
            }
            #expect(runs.withLock { $0 } == 2)
            #expect(try await queue.deadLetters().isEmpty)
        }
    }

    @Test func shutdownHandsAHungJobBackAfterItsGraceAndCompletes() async throws {
        try await withTestRedis(logger: logger) { redis in
            let stage = TestEnvironment.uniqueName("stop")
            let queue = StageQueue(stage: stage, redis: redis)
            let started = Mutex(false)
            let handler = ClosureStageHandler { _ in
                started.withLock { $0 = true }
                try await Task.sleep(for: .seconds(3600))
            }
            var settings = configuration("w1")
            settings.handlerTimeout = .seconds(3600)
            let worker = StageWorker(stage: stage, redis: redis, handler: handler, configuration: settings, logger: logger)
            try await withRunningServices([worker], logger: logger) {
                try await queue.enqueue("never ends", jobID: "hung-1")
                try await eventually { started.withLock { $0 } }
                // Leaving the block shuts the worker down while the job hangs.
            }
            // Shutdown completed; the job waits in the stream for the next worker, with no owner.
            #expect(try await queue.backlog() == (1, 0))
            let pending = try await redis.send(RedisCommand("XPENDING", queue.keys.stream, queue.keys.group))
            #expect(pending.array?.first?.int == 0)
            let entries = StreamEntry.parseList(try await redis.send(RedisCommand("XRANGE", queue.keys.stream, "-", "+")))
            #expect(entries.compactMap { StageJob(fields: $0.fields)?.id } == ["hung-1"])
        }
    }
}
