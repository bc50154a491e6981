import Foundation
import LeopostCore
import LeopostTestSupport
import Testing

@Suite("Commands from many tasks share a few connections")
struct RedisSharedConnectionTests {
    static let increment = RedisScript(name: "test.shared.incr", source: "return redis.call('INCR', KEYS[1])")
    static let failing = RedisScript(name: "test.shared.fail", source: "return redis.error_reply('refused: ' .. ARGV[1])")
    let logger = TestEnvironment.logger()

    @Test func manyConcurrentCallsEachGetTheirOwnReplyAndAnErrorStaysWithItsCall() async throws {
        try await withTestRedis(configuration: .init(sharedConnections: 2)) { redis in
            let key = TestEnvironment.uniqueName("shared")
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
                        if index % 10 == 3 {
                            let pair = try await redis.pipeline([RedisCommand("ECHO", "\(index)"), RedisCommand("INCR", key)])
                            #expect(pair[0].string == "\(index)")
                            return (index, pair[1].int)
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

    @Test func aBlockingReadWaitsOnAConnectionOfItsOwn() async throws {
        #expect(RedisCommand("XREADGROUP", "GROUP", "g", "c", "COUNT", 1, "BLOCK", 100, "STREAMS", "s", ">").blocks)
        #expect(RedisCommand("blpop", "k", 1).blocks)
        #expect(!RedisCommand("XREADGROUP", "GROUP", "g", "c", "COUNT", 1, "STREAMS", "s", ">").blocks)
        #expect(!RedisCommand("GET", "BLOCK").blocks)
        // The wait a blocking command asks for is added to the command timeout.
        #expect(RedisCommand("XREADGROUP", "GROUP", "g", "c", "COUNT", 1, "BLOCK", 100, "STREAMS", "s", ">").blockTime == .milliseconds(100))
        #expect(RedisCommand("BLPOP", "k", "2.5").blockTime == .milliseconds(2500))
        #expect(RedisCommand("BLPOP", "k", 0).blockTime == nil)
        #expect(RedisCommand("GET", "k").blockTime == nil)
        try await withTestRedis(configuration: .init(sharedConnections: 1, maxConnections: 2)) { redis in
            let key = TestEnvironment.uniqueName("quick")
            let list = TestEnvironment.uniqueName("list")
            // Had the BLPOP shared the connection, everything behind it would wait out its 120 s and
            // the push would come too late for it: it would return nothing. (A wait of 30 s was once
            // outlasted by a suite that kept both of this machine's cooperative threads busy.)
            async let held = redis.send(RedisCommand("BLPOP", list, 120))
            for _ in 0..<100 { try await redis.send(RedisCommand("INCR", key)) }
            #expect(try await redis.send(RedisCommand("GET", key)).int == 100)
            try await redis.send(RedisCommand("LPUSH", list, "go"))
            #expect(try await held.array?.last?.string == "go")
        }
    }

    @Test func aStalledServerFailsTheWaitingCallsInTimeAndALaterCallReconnects() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        let server = try await EmbeddedRedis.start(directory: directory, port: try FreePort.loopback(), logger: logger)
        let redis = RedisClient(url: server.url, configuration: .init(sharedConnections: 1, commandTimeout: .milliseconds(300)), logger: logger)
        // 300 ms is short for a machine running the whole suite at once: the calls that must
        // succeed are retried until they do; only the stalled ones must fail.
        try await eventually { (try? await redis.send(RedisCommand("SET", "k", "1"))) != nil }
        kill(server.pid, SIGSTOP)
        let outcomes = await withTaskGroup(of: RedisError.Code?.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    do {
                        _ = try await redis.send(RedisCommand("GET", "k"))
                        return nil
                    } catch { return (error as? RedisError)?.code }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        kill(server.pid, SIGCONT)
        #expect(outcomes.allSatisfy { $0 == .timeout || $0 == .connectionLost }, "\(outcomes)")
        #expect(outcomes.contains(.timeout))
        try await eventually { (try? await redis.send(RedisCommand("GET", "k")).string) == "1" }
        await redis.close()
        await server.stop()
    }

    @Test func aConnectionClosedUnderWaitingCallsFailsThemAndTheNextCallGetsANewOne() async throws {
        try await withTestRedis(configuration: .init(sharedConnections: 1)) { redis in
            let id = try #require(try await redis.send(RedisCommand("CLIENT", "ID")).int)
            // Redis closes the connection after answering the kill: the PING behind it on the same
            // connection is never answered, and fails rather than waiting forever.
            await #expect {
                _ = try await redis.pipeline([RedisCommand("CLIENT", "KILL", "ID", id, "SKIPME", "no"), RedisCommand("PING")])
            } throws: { ($0 as? RedisError)?.code == .connectionLost }
            #expect(try await redis.send(RedisCommand("PING")) == .status("PONG"))
            #expect(try await redis.send(RedisCommand("CLIENT", "ID")).int != id, "a new connection")
        }
    }
}
