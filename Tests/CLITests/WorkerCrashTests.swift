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

    @Test func anotherWorkerAnswersAndTheClientSeesOneFinalAnswer() async throws {
        try await withTestHTTPServer(router: FakeOpenAI.router()) { fakePort in
            try await TestDatabase.with(logger: logger) { database in
                try await withTestRedis(logger: logger) { (redis) async throws in
                    let tenant = try await TenantStore(pool: database.app).createTenant(name: "Crash").tenantID
                    try await PolicyStore(pool: database.app).apply(
                        """
                        providers: {main: {kind: openai}}
                        chains: {chat: [{provider: main, model: paced, max_tokens: 100}]}
                        """,
                        tenant: tenant
                    )
                    let user = try await UserStore(pool: database.app).resolve(name: "alice", tenant: tenant)
                    let conversations = ConversationStore(pool: database.app)
                    let conversation = try await conversations.create(tenant: tenant, userID: user, channel: "web")
                    let log = ConversationEventLog(redis: redis)

                    var environment = try LeopostProcess.workerEnvironment(databaseURL: database.url)
                    environment["OPENAI_API_KEY"] = "sk-test"
                    environment["OPENAI_BASE_URL"] = "http://127.0.0.1:\(fakePort)/v1"

                    let first = try LeopostProcess.startWorker(stages: "router", environment: environment)
                    let intake = ConversationIntake(
                        conversations: conversations, router: StageQueue(stage: ChatRouter.stage, redis: redis), events: log)
                    _ = try await intake.accept([.text("tell me a story")], into: conversation, from: user, tenant: tenant)

                    // Kill the first worker (no chance to clean up) once the answer has begun.
                    try await eventually(timeout: .seconds(30)) {
                        try await log.events(after: nil, conversation: conversation.id).contains { $0.kind == .messageDelta }
                    }
                    kill(first.processIdentifier, SIGKILL)
                    first.waitUntilExit()

                    let second = try LeopostProcess.startWorker(stages: "router", environment: environment)
                    defer {
                        second.terminate()
                        second.waitUntilExit()
                    }
                    try await eventually(timeout: .seconds(60)) {
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
                }
            }
        }
    }
}
