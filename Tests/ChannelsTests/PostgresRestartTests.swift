import Foundation
import LeopostChannels
import LeopostCore
import LeopostTestSupport
import Synchronization
import Testing

private final class AcceptedCount: Sendable {
    let value = Mutex(0)
}

/// PostgreSQL restarted (an operator's `pg_ctl stop -m fast`, then a start) while people send
/// messages: the gateway answers 503 while it is away, never 500; clients that retry with the same
/// key get every message in once; workers whose queries failed retry; every message is answered once.
@Suite("Web chat across a PostgreSQL restart", .serialized)
struct PostgresRestartTests {
    @Test func aBurstOfMessagesAcrossAPostgresRestartIsStoredAndAnsweredOnce() async throws {
        let postgres = try PrivatePostgres()
        try await postgres.start()
        defer { postgres.stop() }
        try await ChatHarness.with(databaseServer: postgres.url) { chat in
            let alice = try chat.token("alice")
            var conversations: [String] = []
            for _ in 0..<5 { conversations.append(try await chat.newConversation(credential: alice)) }
            let messages = 60
            let conversationList = conversations
            let accepted = AcceptedCount()
            let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
                group.addTask {
                    // Mid-burst: once a sixth of the messages are in.
                    try await eventually("the burst under way") { accepted.value.withLock { $0 } >= messages / 6 }
                    postgres.stop()
                    try await Task.sleep(for: .seconds(1))
                    try await postgres.start()
                    return []
                }
                for lane in 0..<5 {
                    group.addTask {
                        var seen: [Int] = []
                        for index in stride(from: lane, to: messages, by: 5) {
                            let path = "/v1/conversations/\(conversationList[index % conversationList.count])/messages"
                            let deadline = ContinuousClock.now + .seconds(30)
                            while ContinuousClock.now < deadline {
                                let answer = try await chat.call(
                                    "POST", path, json: #"{"text":"Message number \#(index)"}"#, credential: alice,
                                    headers: [("Idempotency-Key", "pg-\(index)")])
                                seen.append(answer.status)
                                if answer.status == 202 {
                                    accepted.value.withLock { $0 += 1 }
                                    break
                                }
                                try await Task.sleep(for: .milliseconds(100))
                            }
                            try await Task.sleep(for: .milliseconds(50))
                        }
                        return seen
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(Set(statuses).isSubset(of: [202, 503]), "\(Set(statuses))")
            #expect(statuses.contains(503), "PostgreSQL was away during the burst")
            #expect(statuses.filter { $0 == 202 }.count == messages, "every message got in, once")
            try await eventually("every message answered", timeout: .seconds(60)) {
                try await chat.storedMessages("outbound") == messages
            }
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await chat.storedMessages("inbound") == messages)
            #expect(try await chat.storedMessages("outbound") == messages)
            let unanswered = try await chat.database.app.withTenantTransaction(chat.tenant.tenantID.rawValue) { connection in
                try connection.query(
                    """
                    SELECT count(*)::int AS n FROM messages q WHERE q.direction = 'inbound'
                    AND NOT EXISTS (SELECT 1 FROM messages a WHERE a.reply_to = q.id AND a.status = 'completed')
                    """)[0].decode(Int.self, column: "n")
            }
            #expect(unanswered == 0)
        }
    }
}
