import Foundation
import LeopostCore
import LeopostTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A real `leopost worker --stages publish` process killed (SIGKILL) after the platform accepted
/// the post and before the worker recorded it: the worker that takes the job over asks the
/// platform (once the attempt's in-flight window has passed), finds the post, and records it. X has no idempotency key, so a blind retry would
/// have posted it twice.
@Suite("A publish worker process killed after the platform accepted", .serialized)
struct PublishWorkerCrashTests {
    let logger = TestEnvironment.logger()

    @Test func theNextWorkerReconcilesInsteadOfPostingAgain() async throws {
        let x = FakeX()
        // The first request is posted, then its answer held until after the worker is killed.
        x.ledger.queue(.acceptThenStall(seconds: 5))
        try await withTestHTTPServer(router: x.router()) { port in
            try await TestDatabase.with(logger: logger) { database in
                try await withTestRedis(logger: logger) { (redis) async throws in
                    let tenant = try await TenantStore(pool: database.app).createTenant(name: "Crash").tenantID
                    let masterKey = try SymmetricKey(bytes: Array(repeating: 0xab, count: 32))
                    try await SocialAccountStore(pool: database.app, masterKey: masterKey).put(
                        SocialAccount(
                            id: UUID(), platform: "x", accountID: x.userID, baseURL: nil, settings: [:], accessToken: x.token, expiresAt: nil,
                            status: .connected, statusReason: nil),
                        tenant: tenant)
                    let target = PostTarget(
                        id: UUID(), platform: "x", status: .queued, preview: PostPreview(length: 20, limit: 280, counting: "weighted", problems: []),
                        idempotencyKey: "leopost-crash-test")
                    let post = Post(
                        id: UUID(), conversationID: nil, text: "Posted once, whatever happens.", media: [], status: .confirmed, scheduledAt: nil,
                        createdAt: Date(), targets: [target])
                    let posts = PostStore(pool: database.app)
                    try await posts.create(post, tenant: tenant)

                    let plugins = try TestEnvironment.temporaryDirectory()
                    let built = URL(fileURLWithPath: LeopostProcess.executable).deletingLastPathComponent().appendingPathComponent(
                        "libLeopostPlatformX.so")
                    try FileManager.default.copyItem(atPath: built.path, toPath: "\(plugins)/libLeopostPlatformX.so")

                    var environment = try LeopostProcess.workerEnvironment(databaseURL: database.url)
                    environment["LEOPOST_PLUGIN_DIR"] = plugins
                    environment["LEOPOST_PLATFORM_X_BASE_URL"] = "http://127.0.0.1:\(port)"
                    // A target left `publishing` is taken for abandoned after twice this plus 15 s (31 s),
                    // not the default 75 s; X's held answer (5 s) still comes within it.
                    environment["LEOPOST_PLUGIN_HTTP_TIMEOUT"] = "8"

                    let first = try LeopostProcess.startWorker(stages: "publish", environment: environment)
                    let job = PublishJob(tenantID: tenant.rawValue, postID: post.id, targetID: target.id)
                    let payload = String(decoding: try JSONEncoder().encode(job), as: UTF8.self)
                    try await StageQueue(stage: PublishStage.stage, redis: redis).enqueue(payload, jobID: "publish:\(target.id)")

                    try await eventually(timeout: .seconds(60)) { x.ledger.posts.count == 1 }
                    kill(first.processIdentifier, SIGKILL)
                    first.waitUntilExit()
                    #expect(try await posts.post(post.id, tenant: tenant)?.targets.first?.status == .publishing)

                    let second = try LeopostProcess.startWorker(stages: "publish", environment: environment)
                    defer {
                        second.terminate()
                        second.waitUntilExit()
                    }
                    try await eventually(timeout: .seconds(60)) {
                        try await posts.post(post.id, tenant: tenant)?.targets.first?.status == .published
                    }
                    let published = try #require(try await posts.post(post.id, tenant: tenant)?.targets.first)
                    #expect(published.remoteID == x.ledger.posts.first?.id)
                    #expect(x.ledger.posts.count == 1)
                    #expect(x.ledger.attempts == 1, "the second worker asked X instead of posting again")
                }
            }
        }
    }
}
