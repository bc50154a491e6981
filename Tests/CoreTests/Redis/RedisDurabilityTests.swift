import Foundation
import LeopostCore
import LeopostTestSupport
import Testing

/// The start-up check of a Redis Leopost does not run itself: one that would lose accepted work
/// (no append-only file, keys evicted under memory pressure) is named with what to change.
@Suite("Redis durability: the settings accepted work depends on")
struct RedisDurabilityTests {
    let logger = TestEnvironment.logger()

    @Test func theEmbeddedServerKeepsEverythingAndAVolatileOneIsNamedWithTheFix() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        let server = try await EmbeddedRedis.start(directory: directory, logger: logger)
        let redis = RedisClient(url: server.url, logger: logger)
        do {
            let embedded = try await RedisDurability.read(from: redis)
            #expect(embedded == RedisDurability(appendOnly: true, appendFsync: "always", maxMemoryPolicy: "noeviction"))
            #expect(embedded.problems.isEmpty)

            for (name, value) in [("appendonly", "no"), ("maxmemory-policy", "allkeys-lru"), ("appendfsync", "no")] {
                try await redis.send(RedisCommand("CONFIG", "SET", name, value)).throwingError()
            }
            let volatile = try await RedisDurability.read(from: redis)
            #expect(volatile == RedisDurability(appendOnly: false, appendFsync: "no", maxMemoryPolicy: "allkeys-lru"))
            #expect(volatile.problems.count == 3)
            #expect(volatile.problems[0].contains("set appendonly yes"))
            #expect(volatile.problems[1].contains("allkeys-lru") && volatile.problems[1].contains("set maxmemory-policy noeviction"))
        } catch {
            await redis.close()
            await server.stop()
            throw error
        }
        await redis.close()
        await server.stop()
    }

    @Test func aServerWithoutConfigStillAnswersFromInfo() {
        // Managed servers rename CONFIG; INFO alone decides then.
        let reading = RedisDurability(appendOnly: true, appendFsync: nil, maxMemoryPolicy: "noeviction")
        #expect(reading.problems.isEmpty)
    }
}
