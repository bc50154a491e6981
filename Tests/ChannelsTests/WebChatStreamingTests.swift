import Foundation
import LeopostCore
import LeopostTestSupport
import Testing

@Suite("Web chat: a message in, an answer streamed out over SSE")
struct WebChatStreamingTests {
    static func completed(_ events: [ServerSentEvent]) -> Bool { events.contains { $0.event == "message.completed" || $0.event == "message.failed" } }

    @Test func anOfflineAnswerStreamsDeltasAndOneCompletedEvent() async throws {
        try await ChatHarness.with { chat in
            let token = try chat.token()
            let conversation = try await chat.newConversation(credential: token)
            let question = try await chat.send("Spring sale on all plants", to: conversation, credential: token)
            // From the beginning of the stream: "0-0" is before every event.
            let events = try await chat.events(of: conversation, credential: token, lastEventID: "0-0", until: Self.completed)
            #expect(events.first?.event == "message.received")
            let deltas = events.filter { $0.event == "message.delta" }
            #expect(deltas.count >= 1)  // the offline answer is ready at once: one publish carries it all
            let completed = events.filter { $0.event == "message.completed" }
            #expect(completed.count == 1)
            let final = ChatHarness.object(completed[0].data)
            #expect(final["reply_to"] as? String == question)
            let streamed = deltas.map { ChatHarness.object($0.data)["text"] as? String ?? "" }.joined()
            #expect(final["text"] as? String == streamed)
            #expect(streamed.contains("Spring sale on all plants"))
            #expect(events.allSatisfy { $0.id?.isEmpty == false })

            let history = try await chat.call("GET", "/v1/conversations/\(conversation)/messages", credential: token)
            #expect(history.status == 200)
            let messages = ChatHarness.object(history.body)["messages"] as? [[String: Any]] ?? []
            #expect(messages.map { $0["direction"] as? String } == ["inbound", "outbound"])
            #expect(messages.map { $0["status"] as? String } == ["answered", "completed"])
            #expect(messages.last?["text"] as? String == streamed)
        }
    }

    @Test func anOpenAIStreamIsRelayedAndBilled() async throws {
        try await withTestHTTPServer(router: FakeOpenAI.router()) { fakePort in
            let policy = """
                providers:
                  main: {kind: openai}
                chains:
                  chat: [{provider: main, model: gpt-4o-mini, max_tokens: 200}]
                """
            // The operator's endpoint and key: the fake stands where OPENAI_BASE_URL points.
            let operatorEnvironment = ["OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": "http://127.0.0.1:\(fakePort)/v1"]
            try await ChatHarness.with(environment: operatorEnvironment) { chat in
                try await PolicyStore(pool: chat.database.app, rules: TestEnvironment.policyRules()).apply(policy, tenant: chat.tenant.tenantID)
                let token = try chat.token()
                let conversation = try await chat.newConversation(credential: token)
                _ = try await chat.send("hello", to: conversation, credential: token)
                let events = try await chat.events(of: conversation, credential: token, lastEventID: "0-0", until: Self.completed)
                let completed = try #require(events.first { $0.event == "message.completed" })
                let final = ChatHarness.object(completed.data)
                #expect(final["provider"] as? String == "openai")
                #expect(final["model"] as? String == "gpt-4o-mini")
                #expect((final["text"] as? String ?? "").isEmpty == false)
                let report = try await UsageStore(pool: chat.database.app).report(tenant: chat.tenant.tenantID, days: 1)
                #expect(report.map(\.provider) == ["openai"])
                #expect(report.first?.costNanodollars ?? 0 > 0)
            }
        }
    }

    @Test func reconnectingWithLastEventIDGetsOnlyTheLaterEvents() async throws {
        // A provider at a model's pace, so each piece is an event of its own.
        let paced = ScriptedProvider(pieces: ["One ", "two ", "three ", "four ", "five"], pause: .milliseconds(30))
        let chains: ChatRouter.ChainFactory = { _, _, _ in ProviderChain(entries: [.init(name: "paced", provider: paced, model: "m")]) }
        try await ChatHarness.with(chains: chains) { chat in
            let token = try chat.token()
            let conversation = try await chat.newConversation(credential: token)
            _ = try await chat.send("Autumn collection", to: conversation, credential: token)
            let all = try await chat.events(of: conversation, credential: token, lastEventID: "0-0", until: Self.completed)
            #expect(all.count > 4)
            let cut = all[2].id!
            let lastID = all.last!.id!
            let resumed = try await chat.events(of: conversation, credential: token, lastEventID: cut, useQueryToken: true) { events in
                events.last?.id == lastID
            }
            #expect(resumed.map(\.id) == all.dropFirst(3).map(\.id))
            #expect(!resumed.contains { $0.event == "events.missed" })
        }
    }

    @Test func aGarbageLastEventIDGetsAFullReplayAfterANote() async throws {
        try await ChatHarness.with { chat in
            let token = try chat.token()
            let conversation = try await chat.newConversation(credential: token)
            _ = try await chat.send("Winter", to: conversation, credential: token)
            let all = try await chat.events(of: conversation, credential: token, lastEventID: "0-0", until: Self.completed)
            let replay = try await chat.events(of: conversation, credential: token, lastEventID: "yesterday") { events in
                events.last?.id == all.last?.id
            }
            #expect(replay.first?.event == "events.missed")
            #expect(replay.first?.id == nil)
            #expect(replay.dropFirst().map(\.id) == all.map(\.id))
        }
    }

    @Test func aLiveClientSeesTheAnswerOfAMessagePostedAfterItConnected() async throws {
        try await ChatHarness.with { chat in
            let token = try chat.token()
            let conversation = try await chat.newConversation(credential: token)
            async let events = chat.events(of: conversation, credential: token, until: Self.completed)
            // The stream is open once the hub counts a watcher.
            while chat.hub.watcherCount == 0 { try await Task.sleep(for: .milliseconds(10)) }
            _ = try await chat.send("Live", to: conversation, credential: token)
            let received = try await events
            #expect(received.map(\.event).first == "message.received")
            #expect(received.map(\.event).last == "message.completed")
        }
    }
}
