import Foundation
import LeopostChannels
import LeopostCore
import LeopostTestSupport
import Synchronization
import Testing

/// A failure no retry fixed while the chain was unreachable; its text must never reach the person.
private struct InfrastructureDown: Error, CustomStringConvertible {
    var description: String { "connection to 10.0.0.7:5432 refused" }
}

/// A dead letter is never silent: the router's tells the person (`message.failed`, a stored failed
/// answer), and an operator's replay, once the cause is fixed, answers the message once.
@Suite("Dead letters: the person is told, and a replay answers once")
struct DeadLetterTests {
    @Test func aRouterJobGivenUpFailsTheAnswerAndItsReplayAnswersOnce() async throws {
        let broken = Mutex(true)
        let provider = ScriptedProvider(pieces: ["Orchids ", "bloom."])
        let chains: ChatRouter.ChainFactory = { _, _, _ in
            if broken.withLock({ $0 }) { throw InfrastructureDown() }
            return ProviderChain(entries: [.init(name: "scripted", provider: provider, model: "m")])
        }
        let worker = StageWorker.Configuration(
            concurrency: 4, visibilityTimeout: .seconds(5), readBlock: .milliseconds(100), promoteInterval: .milliseconds(20),
            retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20), maxDelay: .milliseconds(50)))
        try await ChatHarness.with(chains: chains, worker: worker) { chat in
            let alice = try chat.token("alice")
            let conversation = try await chat.newConversation(credential: alice)
            let question = try await chat.send("Write about orchids", to: conversation, credential: alice)
            let events = try await chat.events(of: conversation, credential: alice) { $0.contains { $0.event == "message.failed" } }
            let failed = try #require(events.first { $0.event == "message.failed" })
            #expect(failed.data.contains(#""code":"internal""#))
            #expect(failed.data.contains(ChatRouter.deadLetterMessage))
            #expect(!failed.data.contains("10.0.0.7"), "the cause stays in the log and the dead letter")

            let queue = StageQueue(stage: chat.stage, redis: chat.redis)
            let letter = try #require(try await queue.deadLetters().first)
            #expect(letter.reason.contains("10.0.0.7"))
            #expect(try await queue.deadLetter(letter.entryID)?.job.id == letter.job.id)

            broken.withLock { $0 = false }
            #expect(try await queue.replay(letter.entryID))
            #expect(try await !queue.replay(letter.entryID), "a second replay of the same dead letter adds nothing")
            let answered = try await chat.events(of: conversation, credential: alice) { $0.contains { $0.event == "message.completed" } }
            #expect(answered.first { $0.event == "message.completed" }?.data.contains("Orchids bloom.") == true)
            try await Task.sleep(for: .milliseconds(300))
            #expect(provider.requests.count == 1, "asked once")
            #expect(try await chat.storedMessages("outbound") == 1)
            let questionID = try #require(UUID(uuidString: question))
            let answer = try #require(
                try await ConversationStore(pool: chat.database.app).message(
                    ConversationMessage.answerID(for: questionID), tenant: chat.tenant.tenantID))
            #expect(answer.status == .completed)
            #expect(answer.parts.plainText == "Orchids bloom.")
            #expect(try await queue.deadLetters().isEmpty)
        }
    }

    @Test func purgeDeletesOneOrAll() async throws {
        try await withTestRedis { redis in
            let stage = TestEnvironment.uniqueName("purge")
            let queue = StageQueue(stage: stage, redis: redis)
            for index in 0..<3 {
                _ = try await redis.send(
                    RedisCommand(
                        "XADD", queue.keys.deadLetters, "*", "id", "job-\(index)", "key", "", "seq", "0", "attempt", "1", "payload", "{}", "reason",
                        "test", "failed_at", "0"))
            }
            let letters = try await queue.deadLetters()
            #expect(letters.map(\.job.id) == ["job-0", "job-1", "job-2"])
            #expect(try await queue.purge(letters[1].entryID) == 1)
            #expect(try await queue.purge(letters[1].entryID) == 0)
            #expect(try await queue.replay(letters[1].entryID) == false)
            #expect(try await queue.purge(nil) == 2)
            #expect(try await queue.deadLetters().isEmpty)
        }
    }
}
