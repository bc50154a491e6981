import LeopostTestSupport
import Testing

@testable import LeopostCore

/// Redis's error replies are classified by their code word once, where they are read; callers
/// decide on `RedisError.Code`, never on the text.
@Suite("Redis error replies by code")
struct RedisErrorCodeTests {
    @Test func theRealServersRepliesGetTheirCodes() async throws {
        let redis = RedisClient(url: try TestEnvironment.redisURL(), logger: TestEnvironment.logger())
        let stream = "{\(TestEnvironment.uniqueName("codes"))}:stream"
        let missing = await #expect(throws: RedisError.self) {
            try await redis.send(RedisCommand("XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", stream, ">"))
        }
        #expect(missing?.code == .noGroup, "\(String(describing: missing))")
        try await redis.send(RedisCommand("XGROUP", "CREATE", stream, "g", "0", "MKSTREAM"))
        let again = await #expect(throws: RedisError.self) { try await redis.send(RedisCommand("XGROUP", "CREATE", stream, "g", "0", "MKSTREAM")) }
        #expect(again?.code == .busyGroup)
        let wrong = await #expect(throws: RedisError.self) { try await redis.send(RedisCommand("INCR", stream)) }
        #expect(wrong?.code == .server, "WRONGTYPE is just a server error")
        _ = try await redis.send(RedisCommand("DEL", stream))
        await redis.close()
    }

    @Test func theCodeWordAloneDecides() {
        #expect(RedisError.serverReply("NOSCRIPT No matching script. Please use EVAL.").code == .noScript)
        #expect(RedisError.serverReply("NOGROUP No such key 'x' or consumer group 'g'").code == .noGroup)
        #expect(RedisError.serverReply("BUSYGROUP Consumer Group name already exists").code == .busyGroup)
        #expect(RedisError.serverReply("ERR NOGROUP is mentioned, but not the code").code == .server)
    }
}
