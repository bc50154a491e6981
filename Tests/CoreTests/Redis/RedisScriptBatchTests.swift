import LeopostCore
import LeopostTestSupport
import Synchronization
import Testing

@Suite("Script calls made at once go to Redis in pipelines")
struct RedisScriptBatchTests {
    static let increment = RedisScript(name: "test.batch.incr", source: "return redis.call('INCR', KEYS[1])")
    static let failing = RedisScript(name: "test.batch.fail", source: "return redis.error_reply('refused: ' .. ARGV[1])")

    @Test func manyConcurrentCallsEachGetTheirOwnReplyAndAnErrorStaysWithItsCall() async throws {
        // Two connections at most: 2,000 calls can only finish in time by sharing pipelines.
        try await withTestRedis(configuration: .init(maxConnections: 2)) { redis in
            let key = TestEnvironment.uniqueName("batch")
            let replies = try await withThrowingTaskGroup(of: (Int, Int?).self) { group in
                for index in 0..<2_000 {
                    group.addTask {
                        if index % 100 == 7 {
                            do {
                                try await redis.run(Self.failing, keys: [key + ":none"], arguments: ["\(index)"])
                                return (index, nil)
                            } catch let error as RedisError {
                                #expect(error.code == .server && error.message.contains("refused: \(index)"))
                                return (index, -1)
                            }
                        }
                        return (index, try await redis.run(Self.increment, keys: [key]).int)
                    }
                }
                var all: [Int: Int?] = [:]
                for try await (index, reply) in group { all[index] = reply }
                return all
            }
            let counts = replies.values.compactMap { $0 }.filter { $0 > 0 }
            #expect(counts.count == 1_980)
            #expect(Set(counts) == Set(1...1_980), "every increment ran once and answered its own caller")
            #expect(replies.values.filter { $0 == -1 }.count == 20)
            #expect(try await redis.send(RedisCommand("GET", key)).string == "1980")
        }
    }

    @Test func aCallerCancelledWhileWaitingDoesNotFailTheOthers() async throws {
        try await withTestRedis(configuration: .init(maxConnections: 1)) { redis in
            let key = TestEnvironment.uniqueName("cancel")
            let blocker = TestEnvironment.uniqueName("blocker")
            // The only connection is held by a blocking read, so the next leader waits for it.
            async let held: RedisReply = redis.send(RedisCommand("BLPOP", blocker, 1))
            try await Task.sleep(for: .milliseconds(100))
            let cancelled = Task { try await redis.run(Self.increment, keys: [key]) }
            try await Task.sleep(for: .milliseconds(50))
            let others = (0..<20).map { _ in Task { try await redis.run(Self.increment, keys: [key]) } }
            try await Task.sleep(for: .milliseconds(50))
            cancelled.cancel()
            _ = try await held
            var values: [Int] = []
            for other in others { values.append(try await other.value.int ?? 0) }
            #expect(values.count == 20 && values.allSatisfy { $0 > 0 })
            let final = try await redis.send(RedisCommand("GET", key)).string
            #expect(final == "20" || final == "21", "the cancelled call ran or not, but every other call ran once")
        }
    }
}
