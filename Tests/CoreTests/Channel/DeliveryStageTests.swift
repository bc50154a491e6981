import Foundation
import LeopostCore
import LeopostTestSupport
import Synchronization
import Testing

/// A channel that keeps what it was sent and refuses as told.
final class RecordingChannel: ChannelAdapter, Sendable {
    let kind = "recording"
    let capabilities = ChannelCapabilities(maxMessageLength: 40)
    /// Piece indexes that answer with this error the first time they are sent.
    let failOnce: [Int: ChannelError]
    /// Piece indexes taken the first time they are sent, but whose answer is lost (a timeout).
    let loseAnswerOnce: Set<Int>
    let sent = Mutex<[String]>([])
    private let failed = Mutex<Set<Int>>([])
    private let calls = Mutex(0)

    init(failOnce: [Int: ChannelError] = [:], loseAnswerOnce: Set<Int> = []) {
        self.failOnce = failOnce
        self.loseAnswerOnce = loseAnswerOnce
    }

    func send(_ pieces: [String], for message: OutboundMessage, idempotencyKey: String) async throws -> DeliveryReceipt {
        let index = Int(idempotencyKey.split(separator: ":").last!)!
        if let error = failOnce[index], failed.withLock({ $0.insert(index).inserted }) { throw error }
        sent.withLock { $0 += pieces }
        if loseAnswerOnce.contains(index), failed.withLock({ $0.insert(index).inserted }) {
            throw ChannelError(code: .unknownOutcome, message: "first byte timeout")
        }
        return DeliveryReceipt(externalIDs: ["remote-\(calls.withLock { $0 += 1; return $0 })"])
    }
}

@Suite("Delivery stage: pieces in order, each sent once, rate limits delay and never drop")
struct DeliveryStageTests {
    let logger = TestEnvironment.logger()

    func deliver(
        _ text: String, through channel: RecordingChannel, until done: @escaping @Sendable (StageQueue) async throws -> Bool
    ) async throws -> (dead: [StageQueue.DeadLetter], pieces: [Int: DeliveryStore.Status]) {
        try await TestDatabase.with(logger: logger) { database in
            let redis = RedisClient(url: try TestEnvironment.redisURL(), logger: logger)
            let stageName = TestEnvironment.uniqueName("delivery")
            let stage = DeliveryStage(
                adapters: [channel], deliveries: DeliveryStore(pool: database.app), conversations: ConversationStore(pool: database.app),
                logger: logger
            )
            let tenant = try await TenantStore(pool: database.app).createTenant(name: "Acme").tenantID
            let worker = StageWorker(
                stage: stageName, redis: redis, handler: stage,
                configuration: .init(
                    concurrency: 2, readBlock: .milliseconds(50), promoteInterval: .milliseconds(20),
                    retry: RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50))),
                logger: logger
            )
            let queue = StageQueue(stage: stageName, redis: redis)
            let message = OutboundMessage(
                tenantID: tenant, conversationID: UUID(), messageID: UUID(), channel: channel.kind, connectionID: nil, recipient: "chat-1",
                parts: [.text(text)]
            )
            try await withRunningServices([worker], logger: logger) {
                _ = try await queue.enqueue(
                    String(decoding: try JSONEncoder().encode(message), as: UTF8.self), idempotencyKey: "answer:\(message.messageID)")
                let deadline = ContinuousClock.now + .seconds(20)
                while try await !done(queue), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            }
            let dead = try await queue.deadLetters()
            let pieces = try await DeliveryStore(pool: database.app).pieces(of: message.messageID, tenant: tenant)
            await redis.close()
            return (dead, pieces)
        }
    }

    @Test func aLongAnswerArrivesAsOrderedPiecesEachOnceDespiteARateLimit() async throws {
        let text = (1...12).map { "Line \($0) of the answer." }.joined(separator: " ")
        let channel = RecordingChannel(failOnce: [2: ChannelError(code: .rateLimited, message: "Too Many Requests", retryAfter: .milliseconds(200))])
        let expected = TextSplitter(limit: 40).split(text)
        let started = ContinuousClock.now
        _ = try await deliver(text, through: channel) { _ in channel.sent.withLock { $0.count } >= expected.count }
        #expect(channel.sent.withLock { $0 } == expected)
        // The channel's Retry-After was honoured, not the stage's 10 ms backoff.
        #expect(ContinuousClock.now - started >= .milliseconds(200))
    }

    @Test func aRefusalNoRetryCanFixIsDeadLetteredWithTheChannelsReason() async throws {
        let channel = RecordingChannel(failOnce: [0: ChannelError(code: .rejected, message: "bot was blocked by the user")])
        let (dead, pieces) = try await deliver("short", through: channel) { queue in try await !queue.deadLetters().isEmpty }
        #expect(dead.count == 1)
        #expect(dead.first?.reason.contains("bot was blocked by the user") == true)
        #expect(channel.sent.withLock { $0 }.isEmpty)
        #expect(pieces == [0: .failed], "the dead letter's hook records what never went out")
    }

    @Test func aPieceSentWithoutAnAnswerIsRecordedUnconfirmedAndNotSentAgain() async throws {
        let text = (1...6).map { "Line \($0) of the answer." }.joined(separator: " ")
        let channel = RecordingChannel(loseAnswerOnce: [1])
        let expected = TextSplitter(limit: 40).split(text)
        let (dead, pieces) = try await deliver(text, through: channel) { queue in
            let backlog = try await queue.backlog()
            return channel.sent.withLock { $0.count } >= expected.count && backlog.pending == 0 && backlog.delayed == 0
        }
        #expect(dead.isEmpty)
        #expect(channel.sent.withLock { $0 } == expected, "each piece once: the one whose answer was lost is not repeated")
        #expect(pieces[1] == .unconfirmed)
        #expect(pieces.filter { $0.key != 1 }.values.allSatisfy { $0 == .sent })
        #expect(pieces.count == expected.count)
    }
}
