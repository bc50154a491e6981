import Foundation
import LeopostCore
import LeopostTestSupport
import Logging

/// What one tool step adds to an answer, Leopost's side only: the router answering a stored
/// message whose scripted model calls `list_posts` once and then answers (model → tool → model),
/// against the same router answering in text at once. The scripted model takes no time, so the
/// difference is the step's own cost: the tool's PostgreSQL work, the second call's funding and
/// billing, and the `tool.started`/`tool.finished` events.
enum ToolStepBenchmark {
    static func run(messages: Int, logger: Logger) async throws -> [String] {
        try await TestDatabase.with(logger: logger, appConnections: serverPoolSize) { database in
            try await withTestRedis(logger: logger) { redis in
                try await HTTPClient.withHTTPClient(logger: logger) { http in
                    let pool = database.app
                    let tenant = try await TenantStore(pool: pool).createTenant(name: "Bench").tenantID
                    let users = UserStore(pool: pool)
                    let user = try await users.resolve(name: "bench", tenant: tenant)
                    let registry = PluginRegistry(
                        configuration: .init(directory: try TestEnvironment.temporaryDirectory()), http: http, logger: logger)
                    let tools = PublishingTools(
                        redis: redis, postgres: pool, masterKey: try SymmetricKey(bytes: Array(repeating: 1, count: 32)), plugins: registry,
                        policyRules: TestEnvironment.policyRules(), logger: logger)
                    func router(_ steps: [[ChatEvent]]) -> ChatRouter {
                        let provider = StepScriptProvider(steps)
                        return ChatRouter(
                            dependencies: .init(
                                conversations: ConversationStore(pool: pool), brands: BrandStore(pool: pool), feedback: FeedbackStore(pool: pool),
                                policies: PolicyStore(pool: pool), usage: UsageStore(pool: pool), events: ConversationEventLog(redis: redis),
                                ledger: BudgetLedger(redis: redis), delivery: nil, users: users, tools: ToolBox(tools.all)),
                            chains: { _, _, _ in ProviderChain(entries: [.init(name: "scripted", provider: provider, model: "scripted")]) },
                            configuration: .init(channels: ChannelCatalog(capabilities: ["web": .init(maxMessageLength: 100_000, canStream: true)])),
                            logger: logger)
                    }
                    func time(_ steps: [[ChatEvent]]) async throws -> [Double] {
                        var times: [Double] = []
                        for _ in 0..<messages {
                            let conversation = try await ConversationStore(pool: pool).create(tenant: tenant, userID: user, channel: "web")
                            let message = try await ConversationStore(pool: pool).appendInbound(
                                tenant: tenant, conversationID: conversation.id, channel: "web", parts: [.text("what is scheduled?")])
                            let request = AnswerRequest(
                                tenantID: tenant, userID: user, conversationID: conversation.id, messageID: message.id, channel: "web")
                            let job = StageJob(
                                id: message.id.uuidString, orderingKey: nil, sequence: 1, attempt: 1,
                                payload: String(decoding: try JSONEncoder().encode(request), as: UTF8.self))
                            // A new router per message: the script starts over with the first step.
                            let answering = router(steps)
                            let start = ContinuousClock.now
                            try await answering.handle(job)
                            times.append(seconds(ContinuousClock.now - start) * 1000)
                        }
                        return times.sorted()
                    }
                    let text = StepScriptProvider.text("Nothing is scheduled.")
                    _ = try await time([text])  // warm-up: connections, prepared plans
                    let direct = try await time([text])
                    let stepped = try await time([StepScriptProvider.call("list_posts", "{}"), text])
                    func p(_ values: [Double], _ q: Double) -> Double { ChainBenchmark.percentile(values, q) }
                    return [
                        String(
                            format: "router, answer in text (reference), %d messages: p50 %.2f ms, p99 %.2f ms", messages, p(direct, 0.5),
                            p(direct, 0.99)),
                        String(
                            format:
                                "router, one tool step (list_posts) then text, %d messages: p50 %.2f ms, p99 %.2f ms; the step adds p50 %.2f ms, p99 %.2f ms",
                            messages, p(stepped, 0.5), p(stepped, 0.99), p(stepped, 0.5) - p(direct, 0.5), p(stepped, 0.99) - p(direct, 0.99)),
                    ]
                }
            }
        }
    }
}
