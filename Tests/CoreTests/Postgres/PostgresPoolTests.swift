import Foundation
import LeopostCore
import ServiceLifecycle
import Testing

@Suite("PostgresPool")
struct PostgresPoolTests {
    @Test func fiftyConcurrentQueriesThroughFourConnections() async throws {
        let (values, pids) = try await PostgresTestDatabase.withPool(maxConnections: 4) { pool in
            try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for n in 0..<50 {
                    group.addTask {
                        let row = try #require(
                            try await pool.query(
                                "SELECT \(n)::int AS n, pg_backend_pid() AS pid, pg_sleep(0.005)"
                            ).singleRow)
                        return (try row.decode(Int.self, column: "n"), try row.decode(Int.self, column: "pid"))
                    }
                }
                var values: [Int] = []
                var pids: Set<Int> = []
                for try await (n, pid) in group {
                    values.append(n)
                    pids.insert(pid)
                }
                return (values, pids)
            }
        }
        #expect(values.sorted() == Array(0..<50))
        #expect(pids.count <= 4)
    }

    @Test func refusedConnectionNamesTheAddressAndHidesThePassword() async throws {
        var configuration = try PostgresConfiguration(url: "postgres://leopost:hunter2@127.0.0.1:1/leopost")
        configuration.maxConnections = 2
        let error = try await PostgresTestDatabase.withPool(configuration) { pool in
            try await #require(throws: PostgresError.self) { try await pool.query("SELECT 1") }
        }
        #expect(error.code == .connectionFailed)
        #expect(error.message.contains("127.0.0.1:1/leopost"), "\(error.message)")
        #expect(error.message.contains("LEOPOST_DATABASE_URL"))
        #expect(!error.debugDescription.contains("hunter2"))
    }

    @Test func reconnectsAfterBackendsAreTerminated() async throws {
        var configuration = try PostgresTestDatabase.configuration(maxConnections: 2)
        let appName = PostgresTestDatabase.uniqueName("leopost_test_pool")
        configuration.applicationName = appName
        try await PostgresTestDatabase.withPool(maxConnections: 1) { admin in
            try await PostgresTestDatabase.withPool(configuration) { pool in
                async let first = pool.query("SELECT pg_sleep(0.1)")
                async let second = pool.query("SELECT pg_sleep(0.1)")
                _ = try await (first, second)
                let terminated = try await admin.query(
                    """
                    SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE application_name = \(appName)
                    """)
                #expect(terminated.count >= 1)
                for _ in 0..<200 {
                    let left = try await admin.query(
                        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = \(appName)")
                    if try left.singleRow?.decode(Int.self, column: "n") == 0 { break }
                    try await Task.sleep(for: .milliseconds(10))
                }
                // A backend leaves pg_stat_activity a moment before its socket is closed; the pool can
                // only see a broken idle connection once the close has reached this side.
                try await Task.sleep(for: .milliseconds(200))
                let value = try await pool.query("SELECT 42 AS answer").singleRow?.decode(Int.self, column: "answer")
                #expect(value == 42)
                async let third = pool.query("SELECT 1 AS one")
                async let fourth = pool.query("SELECT 1 AS one")
                #expect(try await [third.count, fourth.count] == [1, 1])
            }
        }
    }

    @Test func closedPoolRefusesWorkAndFailsWaiters() async throws {
        let pool = PostgresPool(
            configuration: try PostgresTestDatabase.configuration(maxConnections: 1),
            logger: PostgresTestDatabase.logger)
        let (holder, release) = try await Self.holdOnlyConnection(of: pool)
        let waiter = Task { try await pool.query("SELECT 1") }
        try await Task.sleep(for: .milliseconds(50))
        // Closing fails the waiter at once, then waits for the work in progress, which ends when released.
        async let closing: Void = pool.close()
        await #expect(throws: PostgresError.poolClosed) { try await waiter.value }
        try await release()
        await closing
        #expect(try await holder.value.count == 1, "work already running finishes")
        let error = try await #require(throws: PostgresError.self) { try await pool.query("SELECT 1") }
        #expect(error.code == .poolClosed)
        await pool.close()
    }

    @Test func cancelledWaiterLeavesTheQueue() async throws {
        try await PostgresTestDatabase.withPool(maxConnections: 1) { pool in
            let (holder, release) = try await Self.holdOnlyConnection(of: pool)
            let waiter = Task { try await pool.query("SELECT 1") }
            try await Task.sleep(for: .milliseconds(20))
            waiter.cancel()
            await #expect(throws: CancellationError.self) { try await waiter.value }
            try await release()
            _ = try await holder.value
            #expect(try await pool.query("SELECT 1").count == 1)
        }
    }

    @Test func aWaitForABusyPoolEndsByItsLimitAsAnOutage() async throws {
        var configuration = try PostgresTestDatabase.configuration(maxConnections: 1)
        configuration.poolWaitTimeout = .milliseconds(200)
        let pool = PostgresPool(configuration: configuration, logger: PostgresTestDatabase.logger)
        let (holder, release) = try await Self.holdOnlyConnection(of: pool)
        do {
            _ = try await pool.query("SELECT 1")
            Issue.record("a query waited past the pool's limit and ran")
        } catch let error as PostgresError {
            #expect(error.code == .timeout)
            #expect(error.isOutage, "a 503 or a retried job, not a 500")
            #expect(error.message.contains("all 1 busy"))
        }
        try await release()
        _ = try await holder.value
        #expect(try await pool.query("SELECT 1").count == 1, "the pool works again once a connection is free")
        await pool.close()
    }

    /// Starts a query that keeps the pool's only connection busy until `release` is called (it waits
    /// for an advisory lock a second connection holds), and returns once it is running: the test
    /// decides when the work ends, however slow the machine is.
    private static func holdOnlyConnection(
        of pool: PostgresPool
    ) async throws -> (holder: Task<PostgresResult, any Error>, release: @Sendable () async throws -> Void) {
        let control = PostgresPool(configuration: try PostgresTestDatabase.configuration(maxConnections: 1), logger: PostgresTestDatabase.logger)
        let key = Int.random(in: 1...Int(Int32.max))
        _ = try await control.query("SELECT pg_advisory_lock(\(key)::bigint)")
        let (started, signal) = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await pool.withConnection { connection in
                signal.yield()
                return try connection.query("SELECT pg_advisory_lock(\(key)::bigint), pg_advisory_unlock(\(key)::bigint)")
            }
        }
        var iterator = started.makeAsyncIterator()
        await iterator.next()
        return (
            holder,
            {
                _ = try await control.query("SELECT pg_advisory_unlock(\(key)::bigint)")
                await control.close()
            }
        )
    }

    @Test func runEndsOnGracefulShutdownAndClosesThePool() async throws {
        let pool = PostgresPool(
            configuration: try PostgresTestDatabase.configuration(maxConnections: 2),
            logger: PostgresTestDatabase.logger)
        let group = ServiceGroup(services: [pool], logger: PostgresTestDatabase.logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(try await pool.query("SELECT 1").count == 1)
            await group.triggerGracefulShutdown()
            try await tasks.next()
        }
        await #expect(throws: PostgresError.poolClosed) { try await pool.query("SELECT 1") }
    }
}
