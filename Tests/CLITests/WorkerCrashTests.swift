import Foundation
import LeopostCore
import LeopostTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("A router worker process killed mid-answer", .serialized)
struct WorkerCrashTests {
    let logger = TestEnvironment.logger()

    func startWorker(_ environment: [String: String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: LeopostProcess.executable)
        process.arguments = ["worker", "--stages", "router"]
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test func anotherWorkerAnswersAndTheClientSeesOneFinalAnswer() async throws {
        try await withTestHTTPServer(router: FakeOpenAI.router()) { fakePort in
            try await TestDatabase.with(logger: logger) { database in
                let redis = RedisClient(url: try TestEnvironment.redisURL(), logger: logger)
                let tenant = try await TenantStore(pool: database.app).createTenant(name: "Crash").tenantID
                try await PolicyStore(pool: database.app).apply(
                    """
                    providers: {main: {kind: openai, base_url: "http://127.0.0.1:\(fakePort)/v1"}}
                    chains: {chat: [{provider: main, model: paced, max_tokens: 100}]}
                    """,
                    tenant: tenant
                )
                let user = try await UserStore(pool: database.app).resolve(name: "alice", tenant: tenant)
                let conversations = ConversationStore(pool: database.app)
                let conversation = try await conversations.create(tenant: tenant, userID: user, channel: "web")
                let log = ConversationEventLog(redis: redis)

                var environment = ProcessInfo.processInfo.environment
                environment["LEOPOST_REDIS_URL"] = try TestEnvironment.redisURL().urlString
                environment["LEOPOST_DATABASE_URL"] = database.url
                environment["LEOPOST_MASTER_KEY"] = String(repeating: "ab", count: 32)
                environment["LEOPOST_JWT_SECRET"] = String(repeating: "s", count: 40)
                environment["LEOPOST_STAGE_VISIBILITY_TIMEOUT"] = "2"
                environment["LEOPOST_DATA_DIR"] = try TestEnvironment.temporaryDirectory()
                environment["LEOPOST_LOG_LEVEL"] = "error"
                environment["OPENAI_API_KEY"] = "sk-test"

                let first = try startWorker(environment)
                let intake = ConversationIntake(conversations: conversations, router: StageQueue(stage: ChatRouter.stage, redis: redis), events: log)
                _ = try await intake.accept([.text("tell me a story")], into: conversation, from: user, tenant: tenant)

                // Kill the first worker (no chance to clean up) once the answer has begun.
                try await waitFor(seconds: 30) {
                    try await log.events(after: nil, conversation: conversation.id).contains { $0.kind == .messageDelta }
                }
                kill(first.processIdentifier, SIGKILL)
                first.waitUntilExit()

                let second = try startWorker(environment)
                defer {
                    second.terminate()
                    second.waitUntilExit()
                }
                try await waitFor(seconds: 60) {
                    try await log.events(after: nil, conversation: conversation.id).contains { $0.kind == .messageCompleted }
                }
                let events = try await log.events(after: nil, conversation: conversation.id)
                let completed = events.filter { $0.kind == .messageCompleted }
                #expect(completed.count == 1)
                let attempts = Set(
                    events.filter { $0.kind == .messageDelta }.compactMap { event in
                        (try? JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any])?["attempt"] as? Int
                    })
                #expect(attempts.count == 2, "the second worker's deltas restart the text")
                let expected = (0..<20).map { "word\($0) " }.joined()
                #expect(completed.first?.data.contains(expected) == true)
                let history = try await conversations.messages(conversationID: conversation.id, tenant: tenant)
                #expect(history.messages.map(\.direction) == [.inbound, .outbound])
                #expect(history.messages.last?.status == .completed)
                #expect(history.messages.last?.parts == [.text(expected)])
                await redis.close()
            }
        }
    }

    func waitFor(seconds: Int, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw WaitTimedOut(seconds: seconds) }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

struct WaitTimedOut: Error, CustomStringConvertible {
    let seconds: Int
    var description: String { "gave up waiting after \(seconds) s" }
}
