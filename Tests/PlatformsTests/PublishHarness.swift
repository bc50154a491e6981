import Foundation
import Hummingbird
import LeopostCore
import LeopostTestSupport
import Logging
import ServiceLifecycle

/// A publishing deployment for one test: a fresh database, the gateway with the publishing
/// routes on a real port, the plugins loaded from a temporary directory, a publish worker and a
/// scheduler on a stage of their own, and a fake server per platform with the tenant's accounts
/// pointing at them.
struct PublishHarness: Sendable {
    let port: Int
    let tenant: TenantStore.CreatedTenant
    let http: HTTPClient
    let redis: RedisClient
    let database: TestDatabase
    let registry: PluginRegistry
    let stage: String
    let mastodon: FakeMastodon
    let x: FakeX
    let linkedIn: FakeLinkedIn
    let meta: FakeMeta
    let webhook: FakeWebhookReceiver
    let discord: FakeDiscord
    let signer: JWTSigner

    static let masterKey = try! SymmetricKey(bytes: Array(repeating: 7, count: 32))

    /// Runs `body` against a running deployment. The worker retries quickly (tests wait for
    /// outcomes, never for timings); `httpTimeout` is how long a plugin's call may wait.
    static func with(
        runWorker: Bool = true,
        httpTimeout: Duration = .seconds(2),
        maxBodyBytes: Int = 64 * 1024,
        retry: RetryPolicy = RetryPolicy(maxAttempts: 6, baseDelay: .milliseconds(100), maxDelay: .seconds(2)),
        _ body: @Sendable (PublishHarness) async throws -> Void
    ) async throws {
        let logger = TestEnvironment.logger()
        let directory = try PluginFixtures.directory()
        let fakes = (FakeMastodon(), FakeX(), FakeLinkedIn(), FakeMeta(), FakeWebhookReceiver(secret: "whsec-test"), FakeDiscord())
        try await TestDatabase.with(logger: logger) { database in
            try await withTestRedis(logger: logger) { (redis) async throws in
                let stage = TestEnvironment.uniqueName("publish")
                let tenant = try await TenantStore(pool: database.app).createTenant(name: "Acme")
                let signer = JWTSigner(secret: Array("a-test-secret-that-is-long-enough-for-hs256".utf8))
                try await withFakeServers(
                    [fakes.0.router(), fakes.1.router(), fakes.2.router(), fakes.3.router(), fakes.4.router(), fakes.5.router()]
                ) { ports in
                    try await HTTPClient.withHTTPClient(configuration: TestEnvironment.httpConfiguration(), logger: logger) { http in
                        let registry = PluginRegistry(
                            configuration: .init(
                                directory: directory, httpTimeout: httpTimeout,
                                baseURLOverrides: [
                                    "x": "http://127.0.0.1:\(ports[1])", "linkedin": "http://127.0.0.1:\(ports[2])",
                                    "meta": "http://127.0.0.1:\(ports[3])",
                                ]),
                            http: http, logger: logger)
                        registry.scan()
                        let accounts = SocialAccountStore(pool: database.app, masterKey: masterKey)
                        let id = tenant.tenantID
                        for account in [
                            Self.account("mastodon", token: fakes.0.token, accountID: fakes.0.accountID, baseURL: "http://127.0.0.1:\(ports[0])"),
                            Self.account("x", token: fakes.1.token, accountID: fakes.1.userID),
                            Self.account("linkedin", token: fakes.2.token, accountID: fakes.2.author),
                            Self.account("meta", token: fakes.3.token, accountID: fakes.3.pageID),
                            Self.account(
                                "webhook", token: "unused", baseURL: "http://127.0.0.1:\(ports[4])/hook", settings: ["signing_secret": "whsec-test"]),
                            Self.account(
                                "discord", token: "unused", baseURL: "http://127.0.0.1:\(ports[5])/api/webhooks/\(fakes.5.webhookID)/\(fakes.5.token)"
                            ),
                        ] {
                            try await accounts.put(account, tenant: id)
                        }
                        let gateway = Gateway(
                            dependencies: .init(redis: redis, postgres: database.app, signer: signer, metrics: GatewayMetrics()),
                            maxBodyBytes: maxBodyBytes)
                        gateway.mountWorkspaceRoutes(
                            postgres: database.app, masterKey: masterKey, policyRules: TestEnvironment.policyRules(), maxBodyBytes: maxBodyBytes)
                        gateway.api.addRoutes(
                            PublishingModule(
                                redis: redis, postgres: database.app, masterKey: masterKey, plugins: registry, maxBodyBytes: maxBodyBytes,
                                logger: logger,
                                policyRules: TestEnvironment.policyRules(), publishStage: stage
                            ).routes)
                        let worker = Self.worker(stage: stage, redis: redis, database: database, registry: registry, retry: retry, logger: logger)
                        let services: [any Service] =
                            runWorker ? [worker, PostScheduler(redis: redis, stage: stage, interval: .milliseconds(20), logger: logger)] : []
                        try await withTestHTTPServer(router: gateway.router) { port in
                            try await withRunningServices(services, logger: logger) {
                                try await body(
                                    PublishHarness(
                                        port: port, tenant: tenant, http: http, redis: redis, database: database, registry: registry, stage: stage,
                                        mastodon: fakes.0, x: fakes.1, linkedIn: fakes.2, meta: fakes.3, webhook: fakes.4, discord: fakes.5,
                                        signer: signer))
                            }
                        }
                    }
                }
            }
        }
    }

    /// A publish worker and scheduler for this harness's stage, for tests that run their own.
    static func worker(
        stage: String, redis: RedisClient, database: TestDatabase, registry: PluginRegistry, retry: RetryPolicy,
        inFlightWindow: Duration = .milliseconds(300), logger: Logger
    ) -> StageWorker {
        let handler = PublishStage(
            dependencies: .init(
                posts: PostStore(pool: database.app), accounts: SocialAccountStore(pool: database.app, masterKey: masterKey), registry: registry,
                events: ConversationEventLog(redis: redis), redis: redis, scheduler: PostScheduler(redis: redis, stage: stage, logger: logger)),
            maxAttempts: retry.maxAttempts, inFlightWindow: inFlightWindow, logger: logger)
        return StageWorker(
            stage: stage, redis: redis, handler: handler,
            configuration: .init(
                concurrency: 8, visibilityTimeout: .seconds(2), readBlock: .milliseconds(100), promoteInterval: .milliseconds(20), retry: retry),
            logger: logger)
    }

    static func account(
        _ platform: String, token: String, accountID: String = "", baseURL: String? = nil, settings: [String: String] = [:]
    ) -> SocialAccount {
        SocialAccount(
            id: UUID(), platform: platform, accountID: accountID, baseURL: baseURL, settings: settings, accessToken: token, expiresAt: nil,
            status: .connected, statusReason: nil)
    }

    /// One API call with the tenant's API key (or `credential`); returns the status and the body.
    func call(_ method: String, _ path: String, json: String? = nil, credential: String? = nil) async throws -> (status: Int, body: String) {
        var headers: [(String, String)] = [("Authorization", "Bearer \(credential ?? tenant.apiKey)")]
        if json != nil { headers.append(("Content-Type", "application/json")) }
        let response = try await http.execute(
            HTTPClientRequest(
                method: method, url: "http://127.0.0.1:\(port)\(path)", headers: HTTPClientHeaders(headers), body: json.map { Array($0.utf8) }))
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    /// Drafts a post and returns its id.
    func draft(_ text: String, platforms: [String], scheduledAt: Date? = nil) async throws -> UUID {
        var object: [String: Any] = ["text": text, "platforms": platforms]
        if let scheduledAt { object["scheduled_at"] = scheduledAt.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)) }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        let created = try await call("POST", "/v1/posts", json: json)
        guard created.status == 201, let id = (Self.object(created.body)["id"] as? String).flatMap(UUID.init(uuidString:)) else {
            throw TestEnvironmentError(message: "could not draft: \(created)")
        }
        return id
    }

    /// Drafts and confirms a post; returns its id.
    func publish(_ text: String, platforms: [String], scheduledAt: Date? = nil) async throws -> UUID {
        let id = try await draft(text, platforms: platforms, scheduledAt: scheduledAt)
        let confirmed = try await call("POST", "/v1/posts/\(id)/publish")
        guard confirmed.status == 202 else { throw TestEnvironmentError(message: "could not publish: \(confirmed)") }
        return id
    }

    /// The post as stored.
    func post(_ id: UUID) async throws -> Post? {
        try await PostStore(pool: database.app).post(id, tenant: tenant.tenantID)
    }

    /// Waits until every target of the post is final (or `timeout` passes) and returns the post.
    func settled(_ id: UUID, timeout: Duration = .seconds(20)) async throws -> Post {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let post = try await post(id), post.targets.allSatisfy(\.status.isFinal) { return post }
            guard ContinuousClock.now < deadline else {
                throw TestEnvironmentError(message: "post \(id) did not settle: \(String(describing: try await post(id)?.targets))")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    static func object(_ json: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]) ?? [:]
    }
}

/// Serves each fake platform on a port of its own, then runs `body` with the ports.
func withFakeServers<T>(_ routers: [Router<BasicRequestContext>], _ body: ([Int]) async throws -> T) async throws -> T {
    guard let first = routers.first else { return try await body([]) }
    return try await withTestHTTPServer(router: first) { port in
        try await withFakeServers(Array(routers.dropFirst())) { rest in try await body([port] + rest) }
    }
}
