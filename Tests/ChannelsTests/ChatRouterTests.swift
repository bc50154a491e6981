import Foundation
import LeopostCore
import LeopostProviders
import LeopostTestSupport
import Testing

@Suite("Router stage: context, budgets, failures, re-runs, several gateways")
struct ChatRouterTests {
    static func finished(_ events: [ServerSentEvent]) -> Bool { events.contains { $0.event == "message.completed" || $0.event == "message.failed" } }

    static func chain(_ provider: ScriptedProvider, model: String = "scripted", maxTokens: Int? = nil) -> ChatRouter.ChainFactory {
        { _, _, _ in ProviderChain(entries: [.init(name: "scripted-\(provider.kind)", provider: provider, model: model, maxTokens: maxTokens)]) }
    }

    @Test func aClientOnGatewayBSeesTheAnswerToAMessagePostedThroughGatewayA() async throws {
        try await ChatHarness.with(gateways: 2) { chat in
            let token = try chat.token()
            let conversation = try await chat.newConversation(credential: token)
            async let watched = chat.events(of: conversation, credential: token, gateway: 1, until: Self.finished)
            while chat.hubs[1].watcherCount == 0 { try await Task.sleep(for: .milliseconds(10)) }
            let posted = try await chat.call(
                "POST", "/v1/conversations/\(conversation)/messages", json: #"{"text":"from A"}"#, credential: token, gateway: 0)
            #expect(posted.status == 202)
            let events = try await watched
            #expect(events.first?.event == "message.received")
            #expect(events.last?.event == "message.completed")
            #expect(chat.hubs[0].watcherCount == 0)
        }
    }

    @Test func theBrandTheFeedbackAndEarlierTurnsReachThePrompt() async throws {
        let provider = ScriptedProvider(pieces: ["A fresh ", "post."])
        try await ChatHarness.with(chains: Self.chain(provider)) { chat in
            let token = try chat.token()
            let brand =
                #"{"name":"Green Leaf","voice":"warm and plain","audience":"home gardeners","industry":"plant nursery","notes":"never use the word cheap"}"#
            #expect(try await chat.call("PUT", "/v1/brand", json: brand, credential: token).status == 200)
            let stored = try await chat.call("GET", "/v1/brand", credential: token)
            #expect(ChatHarness.object(stored.body)["voice"] as? String == "warm and plain")
            let conversation = try await chat.newConversation(credential: token)
            _ = try await chat.send("first question", to: conversation, credential: token)
            let first = try await chat.events(of: conversation, credential: token, lastEventID: "0-0", until: Self.finished)
            let answerID = try #require(ChatHarness.field("message_id", in: first.last!.data))
            let rated = try await chat.call("POST", "/v1/messages/\(answerID)/feedback", json: #"{"rating":"up"}"#, credential: token)
            #expect(rated.status == 200)
            #expect(try await chat.call("POST", "/v1/messages/\(answerID)/feedback", json: #"{"rating":"meh"}"#, credential: token).status == 400)
            #expect(try await chat.call("POST", "/v1/messages/\(UUID())/feedback", json: #"{"rating":"up"}"#, credential: token).status == 404)
            let history = try await chat.call("GET", "/v1/conversations/\(conversation)/messages", credential: token)
            #expect(history.body.contains(#""feedback":"up""#))

            _ = try await chat.send("second question", to: conversation, credential: token)
            _ = try await chat.events(of: conversation, credential: token, lastEventID: first.last!.id) { Self.finished($0) }
            let prompt = try #require(provider.requests.last)
            let system = prompt.messages.first?.content ?? ""
            #expect(system.contains("Brand: Green Leaf"))
            #expect(system.contains("Voice: warm and plain"))
            #expect(system.contains("never use the word cheap"))
            #expect(system.contains("Answers the team liked"))
            #expect(system.contains("A fresh post."))
            #expect(prompt.messages.dropFirst().map(\.content) == ["first question", "A fresh post.", "second question"])
            #expect(prompt.messages.dropFirst().map(\.role) == [.user, .assistant, .user])
        }
    }

    @Test func aProviderThatDiesMidAnswerEndsItWithMessageFailedAndAnEstimatedBill() async throws {
        let provider = ScriptedProvider(
            pieces: ["Half ", "an answer"], ending: .fail(ProviderError(code: .server, message: "connection reset", provider: "openai")))
        try await ChatHarness.with(chains: Self.chain(provider, model: "gpt-4o")) { chat in
            let token = try chat.token()
            let conversation = try await chat.newConversation(credential: token)
            _ = try await chat.send("write something", to: conversation, credential: token)
            let events = try await chat.events(of: conversation, credential: token, lastEventID: "0-0", until: Self.finished)
            let streamed = events.filter { $0.event == "message.delta" }.map { ChatHarness.field("text", in: $0.data) ?? "" }.joined()
            #expect(streamed == "Half an answer")
            let failed = try #require(events.last)
            #expect(failed.event == "message.failed")
            #expect(ChatHarness.field("code", in: failed.data) == "provider_failed")
            #expect((ChatHarness.field("message", in: failed.data) ?? "").contains("cut off"))
            let history = try await chat.call("GET", "/v1/conversations/\(conversation)/messages", credential: token)
            let answer = (ChatHarness.object(history.body)["messages"] as? [[String: Any]])?.last
            #expect(answer?["status"] as? String == "failed")
            #expect((answer?["text"] as? String ?? "").hasPrefix("Half an answer"))
            let rows = try await chat.database.app.withTenantTransaction(chat.tenant.tenantID.rawValue) { connection in
                try connection.query("SELECT outcome, estimated, output_tokens, cost_nanodollars FROM usage_records").map {
                    (
                        try $0.decode(String.self, column: "outcome"), try $0.decode(Bool.self, column: "estimated"),
                        try $0.decode(Int.self, column: "output_tokens"), try $0.decode(Int64.self, column: "cost_nanodollars")
                    )
                }
            }
            #expect(rows.count == 1)
            #expect(rows.first?.0 == "server")
            #expect(rows.first?.1 == true)
            #expect(rows.first?.2 ?? 0 > 0)
            #expect(rows.first?.3 ?? 0 > 0)
        }
    }

    @Test func aSpentBudgetRefusesWithAMessageAndDowngradeAnswersThroughTheCheaperChain() async throws {
        let expensive = ScriptedProvider(pieces: ["Premium answer"])
        let policy = """
            providers:
              main: {kind: openai, base_url: "http://127.0.0.1:9/v1"}
              local: {kind: offline}
            chains:
              chat: [{provider: main, model: pricey, max_tokens: 1000}]
              cheap: [{provider: local, model: offline}]
            prices:
              - {provider: openai, model: pricey, input_per_million: 1000, output_per_million: 1000}
            budgets: {daily_usd: 0.5, when_exhausted: refuse}
            """
        let chains: ChatRouter.ChainFactory = { task, _, _ in
            task == "cheap"
                ? ProviderChain(entries: [.init(name: "offline", provider: OfflineProvider(), model: "offline")])
                : ProviderChain(entries: [.init(name: "main", provider: expensive, model: "pricey", maxTokens: 1000)])
        }
        try await ChatHarness.with(chains: chains) { chat in
            let store = PolicyStore(pool: chat.database.app, rules: TestEnvironment.policyRules())
            try await store.apply(policy, tenant: chat.tenant.tenantID)
            let token = try chat.token()
            let conversation = try await chat.newConversation(credential: token)
            _ = try await chat.send("expensive question", to: conversation, credential: token)
            let refused = try await chat.events(of: conversation, credential: token, lastEventID: "0-0", until: Self.finished)
            #expect(refused.last?.event == "message.failed")
            #expect(ChatHarness.field("code", in: refused.last!.data) == "budget_exhausted")
            #expect((ChatHarness.field("message", in: refused.last!.data) ?? "").contains("tenant daily budget"))
            #expect(expensive.requests.isEmpty)

            try await store.apply(
                policy.replacingOccurrences(of: "when_exhausted: refuse", with: "when_exhausted: downgrade, downgrade_chain: cheap"),
                tenant: chat.tenant.tenantID)
            _ = try await chat.send("again, cheaper", to: conversation, credential: token)
            let downgraded = try await chat.events(of: conversation, credential: token, lastEventID: refused.last!.id, until: Self.finished)
            #expect(downgraded.last?.event == "message.completed")
            #expect(ChatHarness.field("provider", in: downgraded.last!.data) == "offline")
            let reasons = try await chat.database.app.withTenantTransaction(chat.tenant.tenantID.rawValue) { connection in
                try connection.query("SELECT fallback_reason FROM usage_records").map { try $0.decode(String?.self, column: "fallback_reason") }
            }
            #expect(reasons == ["budget: downgraded to cheap"])
        }
    }

    @Test func aStoredPolicyThatNamesAnOperatorSecretFailsTheAnswerNamingTheLine() async throws {
        try await ChatHarness.with { chat in
            // Stored before env: was restricted: nothing validates it on the way in any more.
            let document = "providers:\n  main: {kind: openai, api_key: env:LEOPOST_JWT_SECRET}\nchains: {chat: [{provider: main, model: m}]}\n"
            try await chat.database.app.withTenantTransaction(chat.tenant.tenantID.rawValue) { connection in
                try connection.execute("INSERT INTO policies (tenant_id, document) VALUES (\(chat.tenant.tenantID.rawValue), \(document))")
            }
            let token = try chat.token()
            let conversation = try await chat.newConversation(credential: token)
            let posted = try await chat.call("POST", "/v1/conversations/\(conversation)/messages", json: #"{"text":"hello"}"#, credential: token)
            #expect(posted.status == 409 && posted.body.contains("invalid_policy") && posted.body.contains("line 2"), "\(posted.body)")
            // A message that was already queued (from a chat app, or before the policy went bad) fails with the reason.
            let tenant = chat.tenant.tenantID
            let stored = try #require(
                try await ConversationStore(pool: chat.database.app).conversation(UUID(uuidString: conversation)!, tenant: tenant, userID: nil))
            let alice = try await UserStore(pool: chat.database.app).resolve(name: "alice", tenant: tenant)
            let intake = ConversationIntake(
                conversations: ConversationStore(pool: chat.database.app), router: StageQueue(stage: chat.stage, redis: chat.redis),
                events: ConversationEventLog(redis: chat.redis))
            _ = try await intake.accept([.text("hello")], into: stored, from: alice, tenant: tenant)
            let events = try await chat.events(of: conversation, credential: token, lastEventID: "0-0", until: Self.finished)
            let failed = try #require(events.last)
            #expect(failed.event == "message.failed")
            #expect(
                failed.data.contains("invalid_policy") && failed.data.contains("line 2") && failed.data.contains("env:LEOPOST_JWT_SECRET"),
                "\(failed.data)")
        }
    }

    @Test func fiftyConcurrentMessagesAgainstABudgetForTenRunExactlyTen() async throws {
        // Worst case = actual cost = 100 output tokens at $1,000 per million = $0.10; the day's budget is $1.00.
        let provider = ScriptedProvider(pieces: ["ok"], ending: .finish(TokenUsage(input: 0, output: 100)))
        let policy = """
            providers: {main: {kind: openai, base_url: "http://127.0.0.1:9/v1"}}
            chains: {chat: [{provider: main, model: metered, max_tokens: 100}]}
            prices: [{provider: openai, model: metered, input_per_million: 0, output_per_million: 1000}]
            budgets: {daily_usd: 1.0}
            """
        try await ChatHarness.with(
            chains: Self.chain(provider, model: "metered", maxTokens: 100),
            worker: .init(concurrency: 16, visibilityTimeout: .seconds(5), readBlock: .milliseconds(100))
        ) { chat in
            try await PolicyStore(pool: chat.database.app, rules: TestEnvironment.policyRules()).apply(policy, tenant: chat.tenant.tenantID)
            let token = try chat.token()
            let conversations = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        let conversation = try await chat.newConversation(credential: token)
                        _ = try await chat.send("post \(index)", to: conversation, credential: token)
                        return conversation
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            var outcomes: [String: Int] = [:]
            for conversation in conversations {
                let events = try await chat.events(of: conversation, credential: token, lastEventID: "0-0", until: Self.finished)
                let last = events.last!
                outcomes[last.event == "message.completed" ? "answered" : ChatHarness.field("code", in: last.data) ?? "?", default: 0] += 1
            }
            #expect(outcomes == ["answered": 10, "budget_exhausted": 40])
            #expect(provider.requests.count == 10)
            let used = try await BudgetLedger(redis: chat.redis).used(tenant: chat.tenant.tenantID)
            #expect(used.day == 1_000_000_000)
        }
    }

    @Test func aRunThatDiesMidAnswerIsAnsweredAgainAndTheClientSeesOneFinalAnswer() async throws {
        let hanging = ScriptedProvider(pieces: ["First ", "try "], ending: .hang)
        try await ChatHarness.with(chains: Self.chain(hanging), runWorker: false) { chat in
            let token = try chat.token()
            let conversation = try await chat.newConversation(credential: token)
            let messageID = try await chat.send("tell me", to: conversation, credential: token)
            let userID = try await UserStore(pool: chat.database.app).resolve(name: "alice", tenant: chat.tenant.tenantID)
            let request = AnswerRequest(
                tenantID: chat.tenant.tenantID, userID: userID, conversationID: UUID(uuidString: conversation)!,
                messageID: UUID(uuidString: messageID)!, channel: "web"
            )
            let payload = String(decoding: try JSONEncoder().encode(request), as: UTF8.self)
            let job = StageJob(id: messageID, orderingKey: conversation, sequence: 1, attempt: 1, payload: payload)

            // The first run streams two pieces and is then killed.
            let firstRun = Task { try await chat.router.handle(job) }
            let log = ConversationEventLog(redis: chat.redis)
            // Wait until both pieces are out (they may be published together).
            while try await log.events(after: nil, conversation: request.conversationID).filter({ $0.kind == .messageDelta })
                .map({ ChatHarness.field("text", in: $0.data) ?? "" }).joined() != "First try "
            {
                try await Task.sleep(for: .milliseconds(10))
            }
            firstRun.cancel()
            await #expect(throws: CancellationError.self) { try await firstRun.value }

            // The job runs again (as after a reclaim), this time with a provider that finishes.
            let router = ChatRouter(
                dependencies: chat.router.dependencies, chains: Self.chain(ScriptedProvider(pieces: ["Second ", "and final"])),
                configuration: chat.router.configuration, logger: TestEnvironment.logger()
            )
            try await router.handle(job)
            try await router.handle(job)  // a redelivery after the answer was stored asks nobody again

            let events = try await chat.events(of: conversation, credential: token, lastEventID: "0-0") { events in
                events.filter { $0.event == "message.completed" }.count == 2
            }
            let deltas = events.filter { $0.event == "message.delta" }.map { ChatHarness.object($0.data) }
            let attempts = deltas.map { $0["attempt"] as? Int ?? 0 }
            #expect(Set(attempts).count == 2)
            #expect(attempts == attempts.sorted())
            let finalText = deltas.filter { $0["attempt"] as? Int == attempts.last }.map { $0["text"] as? String ?? "" }.joined()
            #expect(finalText == "Second and final")
            let completed = events.filter { $0.event == "message.completed" }.map { ChatHarness.object($0.data) }
            #expect(Set(completed.map { $0["message_id"] as? String }).count == 1)
            #expect(completed.allSatisfy { $0["text"] as? String == "Second and final" })
            let history = try await chat.call("GET", "/v1/conversations/\(conversation)/messages", credential: token)
            let messages = ChatHarness.object(history.body)["messages"] as? [[String: Any]] ?? []
            #expect(messages.count == 2)
            #expect(messages.last?["text"] as? String == "Second and final")
            let outcomes = try await chat.database.app.withTenantTransaction(chat.tenant.tenantID.rawValue) { connection in
                try connection.query("SELECT outcome FROM usage_records ORDER BY created_at").map { try $0.decode(String.self, column: "outcome") }
            }
            #expect(outcomes == ["cancelled", "ok"])
        }
    }
}
