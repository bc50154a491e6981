import Foundation
import Hummingbird
import LeopostChannels
import LeopostCore
import LeopostProviders
import LeopostTestSupport
import Logging
import ServiceLifecycle

/// A whole chat deployment for one test: a fresh database, the gateway with the web channel on a
/// real port, the event hub and a router worker on a stage of its own, and an HTTP client.
struct ChatHarness: Sendable {
    /// One port per gateway.
    let ports: [Int]
    let tenant: TenantStore.CreatedTenant
    let signer: JWTSigner
    let http: HTTPClient
    let redis: RedisClient
    let database: TestDatabase
    let stage: String
    /// The intake stage the webhooks queue to (its worker runs when messaging is configured).
    let intakeStage: String
    let hubs: [ConversationEventHub]
    /// The router the worker runs, for tests that drive it by hand.
    let router: ChatRouter

    /// The first gateway's port.
    var port: Int { ports[0] }
    /// The first gateway's hub.
    var hub: ConversationEventHub { hubs[0] }

    static let secret = Array("a-test-secret-that-is-long-enough-for-hs256".utf8)

    /// Runs `body` against a running deployment whose router uses `chains` (offline by default).
    static func with(
        chains: ChatRouter.ChainFactory? = nil,
        gateways: Int = 1,
        runWorker: Bool = true,
        environment: [String: String] = [:],
        heartbeat: Duration = .seconds(15),
        maxStreamsPerPerson: Int = 20,
        extraChannels: [any ChannelAdapter] = [],
        messaging: MessagingConfiguration? = nil,
        mediaLimits: MediaLimits = MediaLimits(),
        redisURL: RedisURL? = nil,
        worker: StageWorker.Configuration = .init(concurrency: 4, visibilityTimeout: .seconds(5), readBlock: .milliseconds(100)),
        http httpConfiguration: HTTPClient.Configuration? = nil,
        databaseServer: String? = nil,
        _ body: @Sendable (ChatHarness) async throws -> Void
    ) async throws {
        let logger = TestEnvironment.logger()
        try await TestDatabase.with(logger: logger, server: databaseServer) { database in
            let redisURL = try redisURL ?? TestEnvironment.redisURL()
            let redis = RedisClient(url: redisURL, configuration: .init(commandTimeout: .seconds(1)), logger: logger)
            let stage = TestEnvironment.uniqueName("router")
            let deliveryStage = TestEnvironment.uniqueName("delivery")
            let intakeStage = TestEnvironment.uniqueName("intake")
            let masterKey = try SymmetricKey(bytes: Array(repeating: 3, count: 32))
            let signer = JWTSigner(secret: secret)
            let tenant = try await TenantStore(pool: database.app).createTenant(name: "Acme")
            // The harness's own calls get the usual client; `httpConfiguration`, when given, is the
            // deployment's alone (the channels' and providers' calls), so a test may shorten its
            // timeouts. One client otherwise: each costs a thread and descriptors, and the suite runs
            // many harnesses at once.
            try await HTTPClient.withHTTPClient(configuration: TestEnvironment.httpConfiguration(), logger: logger) { client in
                try await Self.withDeploymentClient(httpConfiguration, else: client, logger: logger) { http in
                    let builder = PolicyChainBuilder(http: http, environment: environment, breaker: CircuitBreaker(redis: redis))
                    let adapters =
                        MessagingModule.adapters(
                            postgres: database.app, http: http, masterKey: masterKey,
                            configuration: messaging ?? MessagingConfiguration(environment: [:])
                        )
                        + extraChannels
                    let mediaStore = LocalMediaStore(directory: try TestEnvironment.temporaryDirectory())
                    let media = MediaLibrary(sources: adapters.compactMap { $0 as? any MediaSource }, store: mediaStore, limits: mediaLimits)
                    let router = ChatRouter(
                        dependencies: .init(
                            conversations: ConversationStore(pool: database.app), brands: BrandStore(pool: database.app),
                            feedback: FeedbackStore(pool: database.app),
                            policies: PolicyStore(pool: database.app, rules: TestEnvironment.policyRules()),
                            usage: UsageStore(pool: database.app), events: ConversationEventLog(redis: redis),
                            ledger: BudgetLedger(redis: redis), delivery: StageQueue(stage: deliveryStage, redis: redis),
                            users: UserStore(pool: database.app), media: media
                        ),
                        chains: chains ?? { task, policy, tenant in builder.chain(for: task, policy: policy, tenant: tenant.description).chain },
                        configuration: .init(channels: ChannelCatalog(adapters)), logger: logger
                    )
                    let workerService = StageWorker(stage: stage, redis: redis, handler: router, configuration: worker, logger: logger)
                    var services: [any Service] = runWorker ? [workerService] : []
                    if messaging != nil || !extraChannels.isEmpty {
                        let delivery = DeliveryStage(
                            adapters: adapters,
                            deliveries: DeliveryStore(pool: database.app), conversations: ConversationStore(pool: database.app),
                            drafts: DeliveryDrafts(redis: redis), logger: logger
                        )
                        let retry = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(50), maxDelay: .milliseconds(500))
                        let intake = MessagingModule.intake(
                            redis: redis, postgres: database.app, http: http, masterKey: masterKey,
                            configuration: messaging ?? MessagingConfiguration(environment: [:]), logger: logger, routerStage: stage,
                            deliveryStage: deliveryStage)
                        services.append(StageWorker(stage: intakeStage, redis: redis, handler: intake, configuration: worker, logger: logger))
                        services.append(
                            StageWorker(
                                stage: deliveryStage, redis: redis, handler: delivery,
                                configuration: .init(
                                    concurrency: 4, visibilityTimeout: .seconds(5), readBlock: .milliseconds(100), promoteInterval: .milliseconds(50),
                                    retry: retry),
                                logger: logger
                            )
                        )
                    }
                    // Each gateway is a process of its own in production: its own hub, its own port.
                    var hubs: [ConversationEventHub] = []
                    var routers: [Router<GatewayContext>] = []
                    var pollers: [TelegramPoller] = []
                    for _ in 0..<gateways {
                        let hub = ConversationEventHub(
                            url: redisURL, configuration: .init(heartbeatInterval: heartbeat, maxStreamsPerHolder: maxStreamsPerPerson),
                            logger: logger)
                        let gateway = Gateway(
                            dependencies: .init(redis: redis, postgres: database.app, signer: signer, metrics: GatewayMetrics()),
                            maxBodyBytes: 64 * 1024)
                        gateway.mountWorkspaceRoutes(
                            postgres: database.app, masterKey: masterKey, policyRules: TestEnvironment.policyRules(), maxBodyBytes: 64 * 1024)
                        let webChat = WebChatModule(
                            redis: redis, postgres: database.app, hub: hub, maxBodyBytes: 64 * 1024, policyRules: TestEnvironment.policyRules(),
                            routerStage: stage, uploads: MediaUploads(store: mediaStore, limits: mediaLimits))
                        gateway.router.addRoutes(webChat.pageRoutes)
                        gateway.api.addRoutes(webChat.routes)
                        if let messaging {
                            let module = MessagingModule(
                                redis: redis, postgres: database.app, http: http, masterKey: masterKey, configuration: messaging,
                                maxBodyBytes: 64 * 1024,
                                logger: logger, intakeStage: intakeStage,
                                polling: .init(
                                    pollTimeout: .seconds(1), rescanInterval: .milliseconds(100), lockLifetime: .seconds(5),
                                    keyTag: TestEnvironment.uniqueName("telegram"))
                            )
                            gateway.router.addRoutes(module.webhookRoutes)
                            gateway.api.addRoutes(module.routes)
                            pollers.append(module.telegramPoller)
                        }
                        hubs.append(hub)
                        routers.append(gateway.router)
                    }
                    services += hubs as [any Service]
                    services += pollers as [any Service]
                    // The hubs stop first: that ends the open event streams, so the servers' graceful shutdown need not wait for them.
                    try await withTestHTTPServers(routers) { ports in
                        try await withRunningServices(services, logger: logger) {
                            try await body(
                                ChatHarness(
                                    ports: ports, tenant: tenant, signer: signer, http: client, redis: redis, database: database, stage: stage,
                                    intakeStage: intakeStage, hubs: hubs,
                                    router: router
                                )
                            )
                        }
                    }
                }
            }
            await redis.close()
        }
    }

    /// Runs `body` with a client of `configuration`, or with `shared` when there is none.
    private static func withDeploymentClient<T>(
        _ configuration: HTTPClient.Configuration?, else shared: HTTPClient, logger: Logger, _ body: (HTTPClient) async throws -> T
    ) async throws -> T {
        guard let configuration else { return try await body(shared) }
        return try await HTTPClient.withHTTPClient(configuration: configuration, logger: logger, body)
    }

    /// A chat token for `user`.
    func token(_ user: String = "alice", tenant: TenantID? = nil) throws -> String {
        try signer.sign(JWTClaims(sub: user, tid: (tenant ?? self.tenant.tenantID).description, lifetime: .seconds(3600)))
    }

    /// One API call to gateway number `gateway`; returns the status and the body as text.
    func call(
        _ method: String, _ path: String, json: String? = nil, credential: String?, headers: [(String, String)] = [], gateway: Int = 0
    ) async throws -> (status: Int, body: String, headers: HTTPClientHeaders) {
        let port = ports[gateway]
        var fields = headers
        if let credential { fields.append(("Authorization", "Bearer \(credential)")) }
        if json != nil { fields.append(("Content-Type", "application/json")) }
        let response = try await http.execute(
            HTTPClientRequest(
                method: method, url: "http://127.0.0.1:\(port)\(path)", headers: HTTPClientHeaders(fields), body: json.map { Array($0.utf8) })
        )
        return (response.status, String(decoding: response.body, as: UTF8.self), response.headers)
    }

    /// Sends raw bytes (an upload) with `contentType`; returns the status and the body as text.
    func upload(_ bytes: [UInt8], contentType: String = "image/png", credential: String) async throws -> (status: Int, body: String) {
        let response = try await http.execute(
            HTTPClientRequest(
                method: "POST", url: "http://127.0.0.1:\(port)/v1/media",
                headers: ["Authorization": "Bearer \(credential)", "Content-Type": contentType], body: bytes))
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    /// Starts a conversation and returns its id.
    func newConversation(credential: String) async throws -> String {
        let created = try await call("POST", "/v1/conversations", json: #"{"title":"Spring"}"#, credential: credential)
        guard created.status == 201, let id = Self.field("id", in: created.body) else {
            throw HarnessError("could not create a conversation: \(created)")
        }
        return id
    }

    /// Posts a message and returns its id.
    func send(_ text: String, to conversation: String, credential: String) async throws -> String {
        let body = String(decoding: try JSONEncoder().encode(["text": text]), as: UTF8.self)
        let posted = try await call("POST", "/v1/conversations/\(conversation)/messages", json: body, credential: credential)
        guard posted.status == 202, let id = Self.field("message_id", in: posted.body) else { throw HarnessError("could not post: \(posted)") }
        return id
    }

    /// Reads the conversation's SSE stream until `stop` says so (or `timeout` passes) and returns the events read.
    func events(
        of conversation: String, credential: String, lastEventID: String? = nil, useQueryToken: Bool = false, timeout: Duration = .seconds(20),
        gateway: Int = 0, until stop: @escaping @Sendable ([ServerSentEvent]) -> Bool
    ) async throws -> [ServerSentEvent] {
        let port = ports[gateway]
        var headers: [(String, String)] = [("Accept", "text/event-stream")]
        var path = "/v1/conversations/\(conversation)/events"
        if useQueryToken { path += "?access_token=\(credential)" } else { headers.append(("Authorization", "Bearer \(credential)")) }
        if let lastEventID { headers.append(("Last-Event-ID", lastEventID)) }
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)", headers: HTTPClientHeaders(headers))
        request.deadline = .now + timeout
        let response = try await http.stream(request)
        guard response.status == 200 else { throw HarnessError("the event stream answered \(response.status)") }
        var parser = ServerSentEventParser()
        var events: [ServerSentEvent] = []
        do {
            for try await chunk in response.body {
                events += try parser.feed(chunk)
                if stop(events) { return events }
            }
        } catch let error as HTTPClientError where error.code == .totalTimeout {
            throw HarnessError("the event stream timed out after \(events.count) events: \(events.map(\.event))")
        }
        return events
    }

    /// A top-level string field of a JSON object.
    static func field(_ name: String, in json: String) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?[name] as? String
    }

    /// A JSON object's fields.
    static func object(_ json: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]) ?? [:]
    }
}

/// Serves each router on a port of its own, then runs `body` with the ports.
func withTestHTTPServers<T>(_ routers: [Router<GatewayContext>], _ body: ([Int]) async throws -> T) async throws -> T {
    guard let first = routers.first else { return try await body([]) }
    return try await withTestHTTPServer(router: first) { port in
        try await withTestHTTPServers(Array(routers.dropFirst())) { rest in try await body([port] + rest) }
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
