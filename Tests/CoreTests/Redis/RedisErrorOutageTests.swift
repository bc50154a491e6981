import Testing

@testable import LeopostCore

/// An outage is decided on Redis's own error code, however the error was worded around it: a
/// script's failure names the script first, and a restarted Redis answers `LOADING` to it.
@Suite("Redis errors: what counts as an outage")
struct RedisErrorOutageTests {
    @Test func aReplyOrAScriptFailureThatSaysLoadingIsAnOutage() {
        #expect(RedisError.serverReply("LOADING Redis is loading the dataset in memory").isOutage)
        let script = RedisError(
            code: .server, message: "script stage.enqueue failed: LOADING Redis is loading the dataset in memory",
            replyCode: RedisError.serverReply("LOADING Redis is loading the dataset in memory").replyCode)
        #expect(script.isOutage, "a 503, not a 500, while Redis loads its append-only file")
        #expect(!RedisError.serverReply("WRONGTYPE Operation against a key holding the wrong kind of value").isOutage)
        #expect(!RedisError(code: .server, message: "script x failed: ERR user_script:1: bad argument", replyCode: "ERR").isOutage)
        #expect(RedisError(code: .connectionLost, message: "gone").isOutage)
    }
}
