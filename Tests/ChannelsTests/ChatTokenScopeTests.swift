import Foundation
import LeopostChannels
import LeopostCore
import LeopostTestSupport
import Testing

/// A chat token is one person: what it may reach, how it may travel, how long it lives.
@Suite("Chat tokens act only within their person's reach")
struct ChatTokenScopeTests {
    static func finished(_ events: [ServerSentEvent]) -> Bool { events.contains { $0.event == "message.completed" } }

    @Test func feedbackOnlyOnAnswersInTheirOwnConversations() async throws {
        try await ChatHarness.with { chat in
            let alice = try chat.token("alice")
            let conversation = try await chat.newConversation(credential: alice)
            _ = try await chat.send("hello", to: conversation, credential: alice)
            let events = try await chat.events(of: conversation, credential: alice, lastEventID: "0-0", until: Self.finished)
            let answer = try #require(ChatHarness.field("message_id", in: events.last!.data))
            let bob = try chat.token("bob")
            let refused = try await chat.call("POST", "/v1/messages/\(answer)/feedback", json: #"{"rating":"down"}"#, credential: bob)
            #expect(refused.status == 404, "\(refused.body)")
            #expect(try await chat.call("POST", "/v1/messages/\(answer)/feedback", json: #"{"rating":"up"}"#, credential: alice).status == 200)
            #expect(
                try await chat.call("POST", "/v1/messages/\(answer)/feedback", json: #"{"rating":"up"}"#, credential: chat.tenant.apiKey).status
                    == 200)
            let history = try await chat.call("GET", "/v1/conversations/\(conversation)/messages", credential: alice)
            #expect(history.body.contains(#""feedback":"up""#), "bob's rating was never stored")
        }
    }

    @Test func theAPIUserNameIsReservedAndTokensHaveABoundedLifetime() async throws {
        try await ChatHarness.with { chat in
            let tenant = chat.tenant.tenantID.description
            let now = Int64(Date().timeIntervalSince1970)
            let cases: [(JWTClaims, String)] = [
                (JWTClaims(sub: "api", tid: tenant, lifetime: .seconds(600)), "reserved for the tenant's API key"),
                (JWTClaims(sub: "alice", tid: tenant, iat: now, exp: now + 31 * 86_400), "longer than the 720 hours"),
                (JWTClaims(sub: "alice", tid: tenant, iat: now + 3600, exp: now + 7200), "in the future"),
            ]
            for (claims, reason) in cases {
                let answer = try await chat.call("GET", "/v1/whoami", credential: try chat.signer.sign(claims))
                #expect(answer.status == 401, "\(claims): \(answer.body)")
                #expect(answer.body.contains(reason), "\(claims): \(answer.body)")
            }
            let fine = try await chat.call(
                "GET", "/v1/whoami", credential: try chat.signer.sign(JWTClaims(sub: "alice", tid: tenant, lifetime: .seconds(3600))))
            #expect(fine.status == 200)
        }
    }

    @Test func aTokenInTheURLOnlyForTheEventStreamAndNeverAnAPIKey() async throws {
        try await ChatHarness.with { chat in
            let alice = try chat.token("alice")
            let conversation = try await chat.newConversation(credential: alice)
            let sse = [("Accept", "text/event-stream")]
            let key = try await chat.call(
                "GET", "/v1/conversations/\(conversation)/events?access_token=\(chat.tenant.apiKey)", credential: nil, headers: sse)
            #expect(key.status == 401)
            #expect(key.body.contains("never be put in a URL"), "\(key.body)")
            for path in ["/v1/whoami", "/v1/conversations", "/v1/conversations/\(conversation)/messages"] {
                let elsewhere = try await chat.call("GET", "\(path)?access_token=\(alice)", credential: nil, headers: sse)
                #expect(elsewhere.status == 401, "\(path)")
                #expect(elsewhere.body.contains("accepted only by GET /v1/conversations/{id}/events"), "\(path): \(elsewhere.body)")
            }
            // The one place it belongs still works.
            _ = try await chat.send("hi", to: conversation, credential: alice)
            let events = try await chat.events(of: conversation, credential: alice, lastEventID: "0-0", useQueryToken: true, until: Self.finished)
            #expect(Self.finished(events))
        }
    }

    @Test func aPersonsOldestStreamIsClosedWithANoteWhenTheyOpenTooMany() async throws {
        try await ChatHarness.with(maxStreamsPerPerson: 2) { chat in
            let alice = try chat.token("alice")
            let conversation = try await chat.newConversation(credential: alice)
            func open(_ credential: String, _ conversation: String) async throws -> HTTPClientStreamingResponse {
                var request = HTTPClientRequest(
                    url: "http://127.0.0.1:\(chat.ports[0])/v1/conversations/\(conversation)/events",
                    headers: ["Accept": "text/event-stream", "Authorization": "Bearer \(credential)"])
                request.deadline = .now + .seconds(20)
                let response = try await chat.http.stream(request)
                #expect(response.status == 200)
                return response
            }
            let oldest = try await open(alice, conversation)
            var oldestChunks = oldest.body.makeAsyncIterator()
            _ = try await oldestChunks.next()  // the stream's first bytes: it is registered
            let second = try await open(alice, conversation)
            var secondChunks = second.body.makeAsyncIterator()
            _ = try await secondChunks.next()
            // Another person's streams do not count against alice.
            let bob = try chat.token("bob")
            let bobs = try await open(bob, try await chat.newConversation(credential: bob))
            _ = bobs
            let third = try await open(alice, conversation)
            var thirdChunks = third.body.makeAsyncIterator()
            _ = try await thirdChunks.next()
            var parser = ServerSentEventParser()
            var seen: [ServerSentEvent] = []
            while let chunk = try await oldestChunks.next() { seen += try parser.feed(chunk) }
            #expect(seen.map(\.event) == ["events.closed"], "the oldest stream ends after its note")
            #expect(seen.first?.id == nil)
            #expect(chat.hubs[0].watcherCount == 3)
        }
    }
}
