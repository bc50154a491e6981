import LeopostCore
import LeopostTestSupport
import Testing

@Suite("RedisClient against a real redis-server")
struct RedisClientTests {
    let logger = TestEnvironment.logger()

    @Test func sendsCommandsAndTypedReplies() async throws {
        let redis = RedisClient(url: try TestEnvironment.redisURL(), logger: logger)
        let key = TestEnvironment.uniqueName("k")
        #expect(try await redis.send(RedisCommand("SET", key, [UInt8]([0, 255, 10, 13]))) == .status("OK"))
        #expect(try await redis.send(RedisCommand("GET", key)) == .bulk([0, 255, 10, 13]))
        #expect(try await redis.send(RedisCommand("INCRBY", key + ":n", 41)).int == 41)
        #expect(try await redis.send(RedisCommand("GET", key + ":missing")).isNull)
        await #expect { try await redis.send(RedisCommand("LPUSH", key, "x")) } throws: { ($0 as? RedisError)?.code == .server }
        await redis.close()
    }

    @Test func pipelinesKeepEachReplyAndError() async throws {
        let redis = RedisClient(url: try TestEnvironment.redisURL(), logger: logger)
        let key = TestEnvironment.uniqueName("p")
        let replies = try await redis.pipeline([
            RedisCommand("SET", key, "1"), RedisCommand("INCR", key), RedisCommand("HGET", key, "f"), RedisCommand("GET", key),
        ])
        #expect(replies.count == 4)
        #expect(replies[1] == .integer(2))
        if case .error(let text) = replies[2] { #expect(text.hasPrefix("WRONGTYPE")) } else { Issue.record("expected an error reply") }
        #expect(replies[3].string == "2")
        await redis.close()
    }

    @Test func scriptsReloadAfterTheCacheIsFlushed() async throws {
        let redis = RedisClient(url: try TestEnvironment.redisURL(), logger: logger)
        let script = RedisScript(name: "test.echo", source: "return ARGV[1] .. KEYS[1]")
        #expect(try await redis.run(script, keys: ["k"], arguments: ["v"]).string == "vk")
        try await redis.send(RedisCommand("SCRIPT", "FLUSH"))
        #expect(try await redis.run(script, keys: ["k2"], arguments: ["v"]).string == "vk2")
        let failing = RedisScript(name: "test.fail", source: "return redis.error_reply('nope')")
        await #expect { try await redis.run(failing, keys: []) } throws: { ($0 as? RedisError)?.code == .server }
        await redis.close()
    }

    @Test func manyConcurrentCallersShareAFewConnections() async throws {
        let redis = RedisClient(url: try TestEnvironment.redisURL(), configuration: .init(maxConnections: 3), logger: logger)
        let key = TestEnvironment.uniqueName("c")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<200 { group.addTask { try await redis.send(RedisCommand("INCR", key)) } }
            try await group.waitForAll()
        }
        #expect(try await redis.send(RedisCommand("GET", key)).int == 200)
        await redis.close()
        await #expect { try await redis.send(RedisCommand("PING")) } throws: { ($0 as? RedisError)?.code == .poolClosed }
    }

    @Test func refusedConnectionNamesTheAddress() async throws {
        let port = try FreePort.loopback()
        let redis = RedisClient(url: RedisURL(host: "127.0.0.1", port: port), logger: logger)
        do {
            try await redis.send(RedisCommand("PING"))
            Issue.record("expected a connection failure")
        } catch let error as RedisError {
            #expect(error.code == .connectionFailed)
            #expect(error.message.contains("127.0.0.1:\(port)"))
        }
        await redis.close()
    }

    @Test func reconnectsAfterRedisRestarts() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        let port = try FreePort.loopback()
        var server = try await EmbeddedRedis.start(directory: directory, port: port, logger: logger)
        let redis = RedisClient(url: server.url, configuration: .init(maxConnections: 2), logger: logger)
        try await redis.send(RedisCommand("SET", "before", "1"))
        await server.stop()
        await #expect(throws: RedisError.self) { try await redis.send(RedisCommand("PING")) }
        server = try await EmbeddedRedis.start(directory: directory, port: port, logger: logger)
        #expect(try await redis.send(RedisCommand("PING")) == .status("PONG"))
        // The append-only file kept the key across the restart.
        #expect(try await redis.send(RedisCommand("GET", "before")).string == "1")
        await redis.close()
        await server.stop()
    }
}
