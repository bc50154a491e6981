import Foundation
import LeopostCore
import LeopostTestSupport
import Testing

/// Each external event once, and a process that dies mid-event loses nothing.
@Suite("Inbound events handled once")
struct InboundOnceTests {
    @Test func aHandledEventIsSkippedAFailedOneComesBackAndADeadProcesssClaimRunsOut() async throws {
        try await withTestRedis { (redis) async throws in
            let once = InboundOnce(redis: redis)
            let connection = TestEnvironment.uniqueName("connection")
            var runs = 0
            #expect(try await once.run(channel: "telegram", connection: connection, event: "1") { runs += 1 })
            #expect(try await !once.run(channel: "telegram", connection: connection, event: "1") { runs += 1 }, "a redelivery after success")

            struct Down: Error {}
            await #expect(throws: Down.self) { try await once.run(channel: "telegram", connection: connection, event: "2") { throw Down() } }
            #expect(try await once.run(channel: "telegram", connection: connection, event: "2") { runs += 1 }, "after a failure the retry is handled")

            // What a process killed between the claim and the record leaves behind: a pending claim.
            let key = "{lp:inbound:\(connection)}:telegram:3"
            _ = try await redis.send(RedisCommand("SET", key, "pending", "EX", 60))
            await #expect(throws: InboundOnce.InProgress.self) {
                try await once.run(channel: "telegram", connection: connection, event: "3") { runs += 1 }
            }
            // Time passes for the dead process's claim (set on Redis's clock, not a sleep of the test's).
            _ = try await redis.send(RedisCommand("PEXPIRE", key, 1))
            try await eventually("the dead process's claim to run out") {
                (try? await once.run(channel: "telegram", connection: connection, event: "3") { runs += 1 }) == true
            }
            #expect(runs == 3, "events 1, 2 and 3 each handled once")
        }
    }
}
