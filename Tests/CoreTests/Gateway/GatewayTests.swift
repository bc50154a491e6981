import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LeopostCore
import LeopostTestSupport
import NIOCore
import Testing

@Suite("Gateway: health, authentication, errors, body limit")
struct GatewayTests {
    let logger = TestEnvironment.logger()

    /// Runs `body` against a gateway over a fresh database, with one tenant and a signer.
    func withGateway(
        maxBodyBytes: Int = 4096,
        _ body: @Sendable (any TestClientProtocol, TenantStore.CreatedTenant, JWTSigner, GatewayMetrics) async throws -> Void
    ) async throws {
        try await TestDatabase.with(logger: logger) { database in
            try await withTestRedis(logger: logger) { (redis) async throws in
                let signer = JWTSigner(secret: Array("a-test-secret-that-is-long-enough-for-hs256".utf8))
                let metrics = GatewayMetrics()
                let tenant = try await TenantStore(pool: database.app).createTenant(name: "Acme")
                let gateway = Gateway(
                    dependencies: .init(redis: redis, postgres: database.app, signer: signer, metrics: metrics),
                    maxBodyBytes: maxBodyBytes
                )
                gateway.mountWorkspaceRoutes(postgres: database.app, policyRules: .init(), maxBodyBytes: maxBodyBytes)
                let application = Application(router: gateway.router, logger: logger)
                try await application.test(.router) { client in try await body(client, tenant, signer, metrics) }
            }
        }
    }

    func errorCode(_ response: TestResponse) throws -> String? {
        let object = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: [String: String]]
        return object?["error"]?["code"]
    }

    @Test func healthAndReadinessAnswer() async throws {
        try await withGateway { client, _, _, _ in
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ready"}"#)
            }
        }
    }

    @Test func readinessNamesWhatIsDown() async throws {
        try await TestDatabase.with(logger: logger) { database in
            let port = try FreePort.loopback()
            let redis = RedisClient(url: RedisURL(host: "127.0.0.1", port: port), logger: logger)
            let gateway = Gateway(
                dependencies: .init(
                    redis: redis, postgres: database.app, signer: JWTSigner(secret: Array(repeating: 1, count: 32)), metrics: GatewayMetrics()),
                maxBodyBytes: 1024
            )
            try await Application(router: gateway.router, logger: logger).test(.router) { client in
                try await client.execute(uri: "/readyz", method: .get) { response in
                    #expect(response.status == .serviceUnavailable)
                    let body = String(buffer: response.body)
                    #expect(body.contains("redis") && !body.contains("postgres"))
                    #expect(!body.contains("127.0.0.1"), "addresses stay in the log")
                }
            }
            await redis.close()
        }
    }

    @Test func apiKeysAndTokensSetTheTenant() async throws {
        try await withGateway { client, tenant, signer, _ in
            try await client.execute(uri: "/v1/whoami", method: .get, headers: [.authorization: "Bearer \(tenant.apiKey)"]) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains(tenant.tenantID.description))
            }
            let token = try signer.sign(JWTClaims(sub: "ada", tid: tenant.tenantID.description, lifetime: .seconds(600)))
            try await client.execute(uri: "/v1/whoami", method: .get, headers: [.authorization: "Bearer \(token)"]) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("\"user\":\"ada\""))
            }
        }
    }

    @Test func badCredentialsGet401WithAReason() async throws {
        try await withGateway { client, tenant, signer, _ in
            let now = Int64(Date().timeIntervalSince1970)
            let expired = try signer.sign(JWTClaims(sub: "ada", tid: tenant.tenantID.description, iat: now - 7200, exp: now - 3600))
            let otherSigner = JWTSigner(secret: Array("another-secret-another-secret-another".utf8))
            let forged = try otherSigner.sign(JWTClaims(sub: "ada", tid: tenant.tenantID.description, lifetime: .seconds(600)))
            let unknownTenant = try signer.sign(JWTClaims(sub: "ada", tid: UUID().uuidString, lifetime: .seconds(600)))
            let cases: [(String?, String)] = [
                (nil, "needs"), ("Basic abc", "Bearer"), ("Bearer \(expired)", "expired"), ("Bearer \(forged)", "signature"),
                ("Bearer \(unknownTenant)", "does not exist"), ("Bearer not.a.jwt", "malformed"), ("Bearer lpk_garbage", "unknown"),
                ("Bearer " + String(tenant.apiKey.dropLast(3)) + "xyz", "unknown"),
            ]
            for (header, reason) in cases {
                var headers: HTTPFields = [:]
                if let header { headers[.authorization] = header }
                try await client.execute(uri: "/v1/whoami", method: .get, headers: headers) { response in
                    #expect(response.status == .unauthorized, "\(header ?? "no header")")
                    let code = try errorCode(response)
                    #expect(code == "unauthorized")
                    #expect(String(buffer: response.body).contains(reason), "\(header ?? "no header"): \(String(buffer: response.body))")
                }
            }
        }
    }

    @Test func oversizedBodiesGet413AndUnknownRoutes404AsJSON() async throws {
        try await withGateway(maxBodyBytes: 1024) { client, tenant, _, _ in
            let big = ByteBuffer(repeating: UInt8(ascii: "x"), count: 4096)
            try await client.execute(uri: "/v1/whoami", method: .post, headers: [.authorization: "Bearer \(tenant.apiKey)"], body: big) { response in
                #expect(response.status == .contentTooLarge)
                let code = try errorCode(response)
                #expect(code == "payload_too_large")
            }
            try await client.execute(uri: "/v1/nothing-here", method: .get, headers: [.authorization: "Bearer \(tenant.apiKey)"]) { response in
                #expect(response.status == .notFound)
                let code = try errorCode(response)
                #expect(code == "not_found")
            }
        }
    }

    @Test func usageIsReportedForTheCallersTenantOnly() async throws {
        try await withGateway { client, tenant, _, _ in
            try await client.execute(uri: "/v1/usage?days=7", method: .get, headers: [.authorization: "Bearer \(tenant.apiKey)"]) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"days":[]}"#)
            }
            try await client.execute(uri: "/v1/usage?days=zero", method: .get, headers: [.authorization: "Bearer \(tenant.apiKey)"]) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/usage", method: .get) { #expect($0.status == .unauthorized) }
        }
    }

    @Test func hostilePoliciesAreRefusedNamingTheLineWhileHealthKeepsAnswering() async throws {
        try await withGateway { client, tenant, _, _ in
            let key: HTTPFields = [.authorization: "Bearer \(tenant.apiKey)"]
            let reading = "providers:\n  main:\n    kind: openai\n    api_key: env:LEOPOST_JWT_SECRET\nchains: {chat: [{provider: main, model: m}]}\n"
            try await client.execute(uri: "/v1/policy", method: .put, headers: key, body: ByteBuffer(string: reading)) { response in
                #expect(response.status == .badRequest)
                let text = String(buffer: response.body)
                #expect(text.contains("line 4") && text.contains("env:LEOPOST_JWT_SECRET") && text.contains("never readable"), "\(text)")
            }
            let bomb = PolicyDocumentScanTests.aliasBomb
            async let refused: HTTPResponse.Status = client.execute(uri: "/v1/policy", method: .put, headers: key, body: ByteBuffer(string: bomb)) {
                $0.status
            }
            async let health: HTTPResponse.Status = client.execute(uri: "/healthz", method: .get) { $0.status }
            #expect(try await health == .ok)
            #expect(try await refused == .badRequest)
            try await client.execute(uri: "/v1/policy", method: .get, headers: key) { response in
                #expect(String(buffer: response.body).contains("kind: offline"), "nothing was stored")
            }
        }
    }

    @Test func policyCanBeReadByAnyCredentialAndChangedOnlyWithTheAPIKey() async throws {
        try await withGateway { client, tenant, signer, _ in
            let key: HTTPFields = [.authorization: "Bearer \(tenant.apiKey)"]
            try await client.execute(uri: "/v1/policy", method: .get, headers: key) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("kind: offline"))
            }
            let json = #"{"providers": {"main": {"kind": "openai"}}, "chains": {"chat": [{"provider": "main", "model": "gpt-4o-mini"}]}}"#
            try await client.execute(uri: "/v1/policy", method: .put, headers: key, body: ByteBuffer(string: json)) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/policy", method: .get, headers: key) { response in
                #expect(String(buffer: response.body).contains("model: \"gpt-4o-mini\""))
            }
            try await client.execute(uri: "/v1/policy", method: .put, headers: key, body: ByteBuffer(string: "providers:\n  x: {kind: nope}\n")) {
                response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("line 2"))
            }
            let token = try signer.sign(JWTClaims(sub: "ada", tid: tenant.tenantID.description, lifetime: .seconds(600)))
            try await client.execute(uri: "/v1/policy", method: .put, headers: [.authorization: "Bearer \(token)"], body: ByteBuffer(string: json)) {
                #expect($0.status == .forbidden)
            }
        }
    }

    @Test func metricsCountRequestsByRouteAndStatus() async throws {
        try await withGateway { client, _, _, _ in
            try await client.execute(uri: "/healthz", method: .get) { _ in }
            try await client.execute(uri: "/v1/whoami", method: .get) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                #expect(text.contains(#"http_server_requests_total{method="GET",route="/healthz",status="200"} 1"#))
                #expect(text.contains(#"route="/v1/whoami",status="401"} 1"#))
            }
        }
    }
}
