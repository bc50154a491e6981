import Foundation
import Hummingbird
import LeopostChannels
import LeopostCore
import LeopostProviders
import LeopostTestSupport
import Logging
import ServiceLifecycle

/// The chat end to end in one process, over real HTTP, Redis and PostgreSQL with the offline
/// provider: the gateway stores and queues each message, a router worker answers it, and the
/// answer arrives on the conversation's SSE stream.
///
/// (1) Throughput: messages posted by 32 concurrent clients over 200 conversations, timed until
/// every answer is stored. (2) Latency at a fixed offered rate: each message's time from the POST
/// to its `message.completed` event read off the SSE stream.
enum ChatBenchmark {
    static func run(messages: Int, rate: Int, seconds duration: Int, logger: Logger) async throws -> [String] {
        try await TestDatabase.with(logger: logger, appConnections: serverPoolSize) { database in
            let redis = RedisClient(url: try TestEnvironment.redisURL(), configuration: .init(maxConnections: 32), logger: logger)
            let stage = TestEnvironment.uniqueName("bench-router")
            let signer = JWTSigner(secret: Array("a-bench-secret-that-is-long-enough-for-hs256".utf8))
            let tenant = try await TenantStore(pool: database.app).createTenant(name: "Bench")
            let token = try signer.sign(JWTClaims(sub: "bench", tid: tenant.tenantID.description, lifetime: .seconds(3600)))
            let router = ChatRouter(
                dependencies: .init(
                    conversations: ConversationStore(pool: database.app), brands: BrandStore(pool: database.app),
                    feedback: FeedbackStore(pool: database.app), policies: PolicyStore(pool: database.app), usage: UsageStore(pool: database.app),
                    events: ConversationEventLog(redis: redis), ledger: BudgetLedger(redis: redis), delivery: nil,
                    users: UserStore(pool: database.app)
                ),
                chains: { _, _, _ in ProviderChain(entries: [.init(name: "offline", provider: OfflineProvider(), model: "offline")]) },
                configuration: .init(channels: ChannelCatalog([WebChannel()])), logger: logger
            )
            let worker = StageWorker(stage: stage, redis: redis, handler: router, configuration: .init(concurrency: 32), logger: logger)
            // One person holds every stream of the benchmark; a deployment keeps the default of 20.
            let hub = ConversationEventHub(url: try TestEnvironment.redisURL(), configuration: .init(maxStreamsPerHolder: 100_000), logger: logger)
            let gateway = Gateway(
                dependencies: .init(redis: redis, postgres: database.app, signer: signer, metrics: GatewayMetrics()), maxBodyBytes: 1 << 20)
            let webChat = WebChatModule(redis: redis, postgres: database.app, hub: hub, maxBodyBytes: 1 << 20, routerStage: stage)
            gateway.router.addRoutes(webChat.pageRoutes)
            gateway.api.addRoutes(webChat.routes)
            let lines = try await withTestHTTPServer(router: gateway.router) { port in
                try await withRunningServices([worker, hub], logger: logger) {
                    try await HTTPClient.withHTTPClient(
                        configuration: .init(maxConnectionsPerHost: 64, egress: TestEnvironment.egress()), logger: logger
                    ) { http in
                        let client = Client(http: http, port: port, token: token)
                        let throughput = try await measureThroughput(client, messages: messages, database: database, tenant: tenant.tenantID)
                        let latency = try await measureLatency(client, rate: rate, seconds: duration)
                        return [throughput, latency]
                    }
                }
            }
            await redis.close()
            return lines
        }
    }

    struct Client: Sendable {
        let http: HTTPClient
        let port: Int
        let token: String

        func post(_ path: String, _ json: String) async throws -> String {
            let response = try await http.execute(
                HTTPClientRequest(
                    method: "POST", url: "http://127.0.0.1:\(port)\(path)",
                    headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"], body: Array(json.utf8)
                )
            )
            guard (200..<300).contains(response.status) else { throw BenchmarkError("POST \(path) answered \(response.status)") }
            return String(decoding: response.body, as: UTF8.self)
        }

        func newConversation() async throws -> String {
            let body = try await post("/v1/conversations", "{}")
            guard let id = (try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["id"] as? String else {
                throw BenchmarkError("no conversation id in \(body)")
            }
            return id
        }
    }

    static func measureThroughput(_ client: Client, messages: Int, database: TestDatabase, tenant: TenantID) async throws -> String {
        var created: [String] = []
        for _ in 0..<200 { created.append(try await client.newConversation()) }
        let conversations = created
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for lane in 0..<32 {
                group.addTask {
                    for index in stride(from: lane, to: messages, by: 32) {
                        _ = try await client.post(
                            "/v1/conversations/\(conversations[index % conversations.count])/messages", #"{"text":"Our spring sale starts Monday"}"#)
                    }
                }
            }
            try await group.waitForAll()
        }
        let posted = ContinuousClock.now - start
        while try await answered(database, tenant) < messages { try await Task.sleep(for: .milliseconds(20)) }
        let total = ContinuousClock.now - start
        return String(
            format:
                "chat end to end (offline provider; gateway, router worker, Redis, PostgreSQL and clients share the cores), %d messages, 32 clients: %.0f messages/s answered (accepted at %.0f/s)",
            messages, Double(messages) / seconds(total), Double(messages) / seconds(posted)
        )
    }

    static func answered(_ database: TestDatabase, _ tenant: TenantID) async throws -> Int {
        try await database.app.withTenantTransaction(tenant.rawValue) { connection in
            try connection.query("SELECT count(*)::int AS n FROM messages WHERE direction = 'outbound' AND status = 'completed'")[0].decode(
                Int.self, column: "n")
        }
    }

    static func measureLatency(_ client: Client, rate: Int, seconds duration: Int) async throws -> String {
        let count = rate * duration
        var conversations: [String] = []
        for _ in 0..<count { conversations.append(try await client.newConversation()) }
        let interval = Duration.seconds(1) / rate
        let begin = ContinuousClock.now
        let measured = try await withThrowingTaskGroup(of: (answer: Double, accepted: Double).self) { group in
            for (index, conversation) in conversations.enumerated() {
                try await Task.sleep(until: begin + interval * index)
                group.addTask { try await timeOneAnswer(client, conversation: conversation) }
            }
            return try await group.reduce(into: [(answer: Double, accepted: Double)]()) { $0.append($1) }
        }
        let times = measured.map(\.answer).sorted()
        let accepted = measured.map(\.accepted).sorted()
        return String(
            format:
                "POST to message.completed at %d messages/s offered for %d s (%d messages): p50 %.2f ms, p99 %.2f ms, max %.2f ms (of which the POST's 202: p50 %.2f ms, p99 %.2f ms)",
            rate, duration, count, ChainBenchmark.percentile(times, 0.5), ChainBenchmark.percentile(times, 0.99), times.last ?? 0,
            ChainBenchmark.percentile(accepted, 0.5), ChainBenchmark.percentile(accepted, 0.99)
        )
    }

    /// Opens the conversation's stream (from its start, so nothing can be missed), posts, and
    /// waits for the answer's completion on the stream. Returns both times in milliseconds: to
    /// the completion, and to the POST's answer.
    static func timeOneAnswer(_ client: Client, conversation: String) async throws -> (answer: Double, accepted: Double) {
        let events = try await client.http.stream(
            HTTPClientRequest(
                url: "http://127.0.0.1:\(client.port)/v1/conversations/\(conversation)/events",
                headers: ["Authorization": "Bearer \(client.token)", "Accept": "text/event-stream", "Last-Event-ID": "0-0"]
            )
        )
        let start = ContinuousClock.now
        _ = try await client.post("/v1/conversations/\(conversation)/messages", #"{"text":"Our spring sale starts Monday"}"#)
        let accepted = seconds(ContinuousClock.now - start) * 1000
        var parser = ServerSentEventParser()
        for try await chunk in events.body {
            if try parser.feed(chunk).contains(where: { $0.event == "message.completed" }) {
                return (seconds(ContinuousClock.now - start) * 1000, accepted)
            }
        }
        throw BenchmarkError("the event stream ended before the answer")
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
