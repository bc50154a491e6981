import Foundation
import LeopostChannels
import LeopostCore
import LeopostTestSupport
import Testing

/// A web client's retry is the same message: the `Idempotency-Key` header (or `client_message_id`)
/// makes a second POST store nothing and queue nothing new, and an outage answers 503 (never 500)
/// so the client knows to send it again.
@Suite("Web chat: retries with a client message id, and outages")
struct WebChatRetryTests {
    @Test func aRetryWithTheSameKeyIsTheSameMessageAnsweredOnce() async throws {
        try await ChatHarness.with { chat in
            let alice = try chat.token("alice")
            let conversation = try await chat.newConversation(credential: alice)
            let path = "/v1/conversations/\(conversation)/messages"
            let first = try await chat.call(
                "POST", path, json: #"{"text":"Plan a post about tulips"}"#, credential: alice, headers: [("Idempotency-Key", "k-1")])
            #expect(first.status == 202)
            #expect(!first.headers.contains(name: "Idempotent-Replayed"))
            let again = try await chat.call(
                "POST", path, json: #"{"text":"Plan a post about tulips"}"#, credential: alice, headers: [("Idempotency-Key", "k-1")])
            #expect(again.status == 202)
            #expect(again.headers.first(name: "Idempotent-Replayed") == "true")
            // The same key in the body is the same message too.
            let inBody = try await chat.call("POST", path, json: #"{"text":"Plan a post about tulips","client_message_id":"k-1"}"#, credential: alice)
            #expect(inBody.status == 202)
            let id = try #require(ChatHarness.field("message_id", in: first.body))
            #expect(ChatHarness.field("message_id", in: again.body) == id)
            #expect(ChatHarness.field("message_id", in: inBody.body) == id)

            // The key reused for another message: refused, not answered with the first one's id.
            let reused = try await chat.call(
                "POST", path, json: #"{"text":"Something else"}"#, credential: alice, headers: [("Idempotency-Key", "k-1")])
            #expect(reused.status == 422)
            #expect(reused.body.contains("idempotency_key_reused"))
            for (headers, body) in [
                ([("Idempotency-Key", "has space")], #"{"text":"x"}"#),
                ([("Idempotency-Key", String(repeating: "a", count: 129))], #"{"text":"x"}"#),
                ([("Idempotency-Key", "a")], #"{"text":"x","client_message_id":"b"}"#),
            ] {
                let bad = try await chat.call("POST", path, json: body, credential: alice, headers: headers)
                #expect(bad.status == 400)
                #expect(bad.body.contains("invalid_idempotency_key"))
            }
            // The same key in another conversation is another message.
            let other = try await chat.newConversation(credential: alice)
            let elsewhere = try await chat.call(
                "POST", "/v1/conversations/\(other)/messages", json: #"{"text":"Plan a post about tulips"}"#, credential: alice,
                headers: [("Idempotency-Key", "k-1")])
            #expect(elsewhere.status == 202)
            #expect(ChatHarness.field("message_id", in: elsewhere.body) != id)

            try await eventually("both answers") { try await chat.storedMessages("outbound") == 2 }
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await chat.storedMessages("inbound") == 2)
            #expect(try await chat.storedMessages("outbound") == 2)
        }
    }

    @Test func redisDownAnswers503AndTheRetryIsAnsweredOnce() async throws {
        let redis = try PrivateRedis()
        try await redis.start()
        defer { redis.stop() }
        try await ChatHarness.with(redisURL: redis.url) { chat in
            let alice = try chat.token("alice")
            let conversation = try await chat.newConversation(credential: alice)
            let path = "/v1/conversations/\(conversation)/messages"
            let body = #"{"text":"Write about orchids","client_message_id":"retry-1"}"#
            redis.stop()
            // PostgreSQL stores the message; the router's job cannot be queued.
            let refused = try await chat.call("POST", path, json: body, credential: alice)
            #expect(refused.status == 503)
            #expect(refused.headers.first(name: "Retry-After") == "1")
            #expect(refused.body.contains(#""code":"unavailable""#))
            #expect(!refused.body.contains("internal"))
            try await redis.start()
            try await eventually("the retry to be taken") { try await chat.call("POST", path, json: body, credential: alice).status == 202 }
            try await eventually("the answer") { try await chat.storedMessages("outbound") == 1 }
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await chat.storedMessages("inbound") == 1)
            #expect(try await chat.storedMessages("outbound") == 1)
        }
    }

    /// The operator's fault: Redis stopped and started again while people keep sending. Every
    /// request is 202 or 503; clients that retry (same key) get through; messages whose client gave
    /// up after a 503 but that PostgreSQL had stored are answered by the sweeper; none twice.
    @Test func aBurstOfMessagesAcrossARedisRestartIsAnsweredExactlyOnce() async throws {
        let redis = try PrivateRedis()
        try await redis.start()
        defer { redis.stop() }
        try await ChatHarness.with(redisURL: redis.url) { chat in
            let alice = try chat.token("alice")
            var conversations: [String] = []
            for _ in 0..<5 { conversations.append(try await chat.newConversation(credential: alice)) }
            let sweeper = StalledMessageSweeper(
                postgres: chat.database.app, redis: chat.redis, routerStage: chat.stage,
                configuration: .init(interval: .milliseconds(200), waited: .seconds(2)), logger: TestEnvironment.logger())
            let messages = 120
            let conversationList = conversations
            let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
                group.addTask {
                    try await Task.sleep(for: .milliseconds(400))
                    redis.stop()
                    try await Task.sleep(for: .seconds(1))
                    try await redis.start()
                    return []
                }
                for lane in 0..<6 {
                    group.addTask {
                        var seen: [Int] = []
                        for index in stride(from: lane, to: messages, by: 6) {
                            let path = "/v1/conversations/\(conversationList[index % conversationList.count])/messages"
                            let body = #"{"text":"Message number \#(index)"}"#
                            // Lane 0 gives up after a 503, as a closed tab would; the others retry with the same key.
                            let deadline = ContinuousClock.now + .seconds(20)
                            while ContinuousClock.now < deadline {
                                let answer = try await chat.call(
                                    "POST", path, json: body, credential: alice, headers: [("Idempotency-Key", "m-\(index)")])
                                seen.append(answer.status)
                                if answer.status == 202 || lane == 0 { break }
                                try await Task.sleep(for: .milliseconds(100))
                            }
                            try await Task.sleep(for: .milliseconds(60))
                        }
                        return seen
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(Set(statuses).isSubset(of: [202, 503]))
            #expect(statuses.contains(503))
            // The sweeper answers what was stored and never queued; then every stored message has one answer.
            let stop = ContinuousClock.now + .seconds(30)
            var answered = false
            while ContinuousClock.now < stop, !answered {
                _ = try? await sweeper.sweep()
                answered = try await chat.database.app.withTenantTransaction(chat.tenant.tenantID.rawValue) { connection in
                    try connection.query(
                        """
                        SELECT count(*)::int AS n FROM messages q WHERE q.direction = 'inbound'
                        AND NOT EXISTS (SELECT 1 FROM messages a WHERE a.reply_to = q.id AND a.status = 'completed')
                        """)[0].decode(Int.self, column: "n") == 0
                }
                if !answered { try await Task.sleep(for: .milliseconds(300)) }
            }
            #expect(answered)
            let inbound = try await chat.storedMessages("inbound")
            // Every retrying lane got its messages in; the lane that gave up may have lost some (not stored, so owed nothing).
            #expect(inbound >= messages - messages / 6)
            #expect(inbound <= messages)
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await chat.storedMessages("outbound") == inbound)
        }
    }
}
