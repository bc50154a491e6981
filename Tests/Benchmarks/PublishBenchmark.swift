import Foundation
import Hummingbird
import LeopostCore
import LeopostTestSupport
import Logging
import ServiceLifecycle
import Synchronization

/// Publishing in one process, over real Redis and PostgreSQL, the Mastodon plugin loaded with
/// dlopen and a local fake Mastodon.
///
/// (1) Throughput: `posts` confirmed posts put on the schedule due now; the scheduler moves them
/// into the publish stream and a worker (32 at once) publishes each through the plugin, recording
/// `publishing` and then `published` in PostgreSQL; timed until the last is recorded.
/// (2) Lateness: `scheduled` jobs on the schedule, due over 20 s; a reader on the stream notes
/// when each arrives, against its due time.
enum PublishBenchmark {
    static func run(posts: Int, scheduled: Int, logger: Logger) async throws -> [String] {
        [
            try await throughput(posts: posts, platform: "mastodon", logger: logger),
            try await throughput(posts: noopPosts, platform: "noop", logger: logger),
            try await lateness(jobs: scheduled, polling: true, logger: logger),
            try await lateness(jobs: scheduled, polling: false, logger: logger),
        ]
    }

    /// Posts through the no-op plugin: enough for a figure in the thousands per second.
    static let noopPosts = 5_000

    /// `platform` is "mastodon" (the shipped plugin, to the fake) or "noop" (the bench's own
    /// plugin, which publishes nowhere: the figure is Leopost's own cost per post).
    static func throughput(posts count: Int, platform: String, logger: Logger) async throws -> String {
        try await TestDatabase.with(logger: logger, appConnections: serverPoolSize) { database in
            let redis = RedisClient(url: try TestEnvironment.redisURL(), configuration: .init(maxConnections: 32), logger: logger)
            let stage = TestEnvironment.uniqueName("bench-publish")
            // Spread over tenants, each with its own account: Mastodon allows 300 posts per account per
            // 3 hours, and the worker keeps that limit.
            var tenants: [TenantID] = []
            for index in 0..<tenantCount { tenants.append(try await TenantStore(pool: database.app).createTenant(name: "Bench \(index)").tenantID) }
            let masterKey = try SymmetricKey(bytes: Array(repeating: 9, count: 32))
            let mastodon = FakeMastodon()
            let line = try await withTestHTTPServer(router: mastodon.router()) { port in
                try await HTTPClient.withHTTPClient(configuration: .init(maxConnectionsPerHost: 64, egress: TestEnvironment.egress()), logger: logger)
                { http in
                    let directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
                    let registry = PluginRegistry(configuration: .init(directory: directory, callThreads: 32), http: http, logger: logger)
                    registry.scan()
                    guard registry.plugin(named: platform) != nil else {
                        return "publish \(platform): the plugin is not in \(directory) (make bench builds it)"
                    }
                    for tenant in tenants {
                        try await SocialAccountStore(pool: database.app, masterKey: masterKey).put(
                            SocialAccount(
                                id: UUID(), platform: platform, accountID: mastodon.accountID, baseURL: "http://127.0.0.1:\(port)", settings: [:],
                                accessToken: mastodon.token, expiresAt: nil, status: .connected, statusReason: nil),
                            tenant: tenant)
                    }
                    let store = PostStore(pool: database.app)
                    // Made by 16 tasks at once, so setting up is not most of the run.
                    let tenants = tenants
                    let jobs = try await withThrowingTaskGroup(of: [PublishJob].self) { group in
                        for lane in 0..<16 {
                            group.addTask {
                                var made: [PublishJob] = []
                                for index in stride(from: lane, to: count, by: 16) {
                                    let tenant = tenants[index % tenants.count]
                                    let target = PostTarget(
                                        id: UUID(), platform: platform, status: .queued,
                                        preview: PostPreview(length: 30, limit: 500, counting: "characters", problems: []),
                                        idempotencyKey: "bench-\(index)")
                                    let post = Post(
                                        id: UUID(), conversationID: nil, text: "Benchmark post number \(index).", media: [], status: .confirmed,
                                        scheduledAt: nil, createdAt: Date(), targets: [target])
                                    try await store.create(post, tenant: tenant)
                                    made.append(PublishJob(tenantID: tenant.rawValue, postID: post.id, targetID: target.id))
                                }
                                return made
                            }
                        }
                        return try await group.reduce(into: []) { $0 += $1 }
                    }
                    let retry = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(100))
                    let finished = JobCounter()
                    let worker = StageWorker(
                        stage: stage, redis: redis,
                        handler: CountingHandler(
                            finished: finished,
                            wrapped: PublishStage(
                                dependencies: .init(
                                    posts: store, accounts: SocialAccountStore(pool: database.app, masterKey: masterKey), registry: registry,
                                    events: ConversationEventLog(redis: redis), redis: redis,
                                    scheduler: PostScheduler(redis: redis, stage: stage, logger: logger)),
                                maxAttempts: retry.maxAttempts, logger: logger)),
                        configuration: .init(concurrency: 32, retry: retry), logger: logger)
                    let scheduler = PostScheduler(redis: redis, stage: stage, interval: .milliseconds(20), logger: logger)
                    return try await withRunningServices([worker, scheduler], logger: logger) {
                        let start = ContinuousClock.now
                        try await scheduler.schedule(jobs, at: Date())
                        // Counted in memory while the jobs run (a count in PostgreSQL every few
                        // milliseconds would load the database it measures), then checked there.
                        while finished.value.load(ordering: .relaxed) < count { try await Task.sleep(for: .milliseconds(5)) }
                        while try await published(database: database, tenants: tenants) < count {
                            try await Task.sleep(for: .milliseconds(20))
                        }
                        let elapsed = seconds(ContinuousClock.now - start)
                        if platform == "noop" {
                            return String(
                                format:
                                    "publish no-op plugin: %d posts (%d tenants) through scheduler + worker + a plugin that publishes nowhere: %.0f jobs/s (%.2f s)",
                                count, tenants.count, Double(count) / elapsed, elapsed)
                        }
                        let posted = mastodon.ledger.posts.count
                        return String(
                            format:
                                "publish: %d posts (%d tenants) through scheduler + worker + Mastodon plugin (dlopen) to a local fake: %.0f posts/s (%.2f s); platform saw %d posts",
                            count, tenants.count, Double(count) / elapsed, elapsed, posted)
                    }
                }
            }
            await redis.close()
            return line
        }
    }

    static let tenantCount = 20

    /// How many jobs the handler returned from.
    final class JobCounter: Sendable {
        let value = Atomic<Int>(0)
    }

    /// The stage's own handler, counting the jobs it finished.
    struct CountingHandler<Wrapped: StageHandler>: StageHandler {
        let finished: JobCounter
        let wrapped: Wrapped

        func handle(_ job: StageJob) async throws {
            try await wrapped.handle(job)
            finished.value.add(1, ordering: .relaxed)
        }
    }

    static func published(database: TestDatabase, tenants: [TenantID]) async throws -> Int {
        var total = 0
        for tenant in tenants {
            total += try await database.app.withTenantTransaction(tenant.rawValue) { connection in
                try connection.query("SELECT count(*) AS n FROM post_targets WHERE status = 'published'").first?.decode(Int.self, column: "n") ?? 0
            }
        }
        return total
    }

    /// Lateness of scheduled jobs: with `polling`, the reference (a look every 100 ms, as the
    /// scheduler did before); without, the scheduler waiting for each next due time.
    static func lateness(jobs count: Int, polling: Bool, logger: Logger) async throws -> String {
        let redis = RedisClient(url: try TestEnvironment.redisURL(), configuration: .init(maxConnections: 8), logger: logger)
        let stage = TestEnvironment.uniqueName("bench-schedule")
        let keys = StageKeys(stage: stage)
        let scheduler = PostScheduler(redis: redis, stage: stage, logger: logger)
        let window = 20.0
        let begin = Date().addingTimeInterval(5)
        var due: [UUID: Double] = [:]
        let batches = 100
        let tenant = UUID()
        for batch in 0..<batches {
            let time = begin.addingTimeInterval(window * Double(batch) / Double(batches))
            let jobs = (0..<(count / batches)).map { _ in PublishJob(tenantID: tenant, postID: UUID(), targetID: UUID()) }
            for job in jobs { due[job.targetID] = time.timeIntervalSince1970 }
            try await scheduler.schedule(jobs, at: time)
        }
        let pending = try await scheduler.pending()
        var lateness: [Double] = []
        lateness.reserveCapacity(due.count)
        let service: any Service = polling ? PollingScheduler(scheduler: scheduler, interval: .milliseconds(100)) : scheduler
        try await withRunningServices([service], logger: logger) {
            var last = "0-0"
            while lateness.count < due.count {
                let reply = try await redis.send(RedisCommand("XREAD", "COUNT", 2000, "BLOCK", 200, "STREAMS", keys.stream, last))
                let arrived = Date().timeIntervalSince1970
                for (id, fields) in entries(reply) {
                    last = id
                    guard let payload = fields["payload"], let job = try? JSONDecoder().decode(PublishJob.self, from: Data(payload.utf8)),
                        let time = due[job.targetID]
                    else { continue }
                    lateness.append((arrived - time) * 1000)
                }
            }
        }
        _ = try await redis.send(RedisCommand("DEL", keys.stream, keys.scheduled, keys.scheduledJobs, keys.scheduled + ":wake"))
        await redis.close()
        lateness.sort()
        let mode = polling ? "reference: a look every 100 ms" : "waits for the next due time"
        return "schedule (\(mode)): "
            + String(
                format:
                    "%d jobs scheduled (%d pending at start), due over %.0f s: lateness from due time to in the publish stream p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                due.count, pending, window, ChainBenchmark.percentile(lateness, 0.5), ChainBenchmark.percentile(lateness, 0.99), lateness.last ?? 0)
    }

    /// The entries of an `XREAD` reply for one stream: id and fields.
    static func entries(_ reply: RedisReply) -> [(String, [String: String])] {
        guard let streams = reply.array, let stream = streams.first?.array, stream.count == 2, let list = stream[1].array else { return [] }
        return list.compactMap { item in
            guard let parts = item.array, parts.count == 2, let id = parts[0].string, let values = parts[1].array else { return nil }
            var fields: [String: String] = [:]
            var index = 0
            while index + 1 < values.count {
                if let key = values[index].string { fields[key] = values[index + 1].string ?? "" }
                index += 2
            }
            return (id, fields)
        }
    }
}
