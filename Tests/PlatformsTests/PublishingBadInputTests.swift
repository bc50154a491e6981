import Foundation
import LeopostCore
import LeopostTestSupport
import Testing

/// Every refusal of the publishing API names the problem, and nothing of one tenant is visible
/// to another.
@Suite("Publishing bad input")
struct PublishingBadInputTests {
    @Test("drafts that cannot go out are refused with the reason")
    func badDrafts() async throws {
        try await PublishHarness.with(runWorker: false) { harness in
            let cases: [(String, Int, String)] = [
                (#"{"text": "hi", "platforms": []}"#, 400, "platforms: name at least one"),
                (#"{"text": "   ", "platforms": ["x"]}"#, 400, "text: must not be empty"),
                (#"{"text": "hi", "platforms": ["myspace"]}"#, 400, #"no plugin named \"myspace\" is loaded"#),
                (#"{"text": "hi", "platforms": ["x"], "scheduled_at": "2020-01-01T00:00:00Z"}"#, 400, "is in the past"),
                (#"{"text": "\#(String(repeating: "a", count: 281))", "platforms": ["mastodon", "x"]}"#, 400, "too long for x: 281 of 280"),
                (#"{"text": "\#(String(repeating: "漢", count: 150))", "platforms": ["x"]}"#, 400, "too long for x: 300 of 280"),
                (#"{"text": "\#(String(repeating: "é", count: 280))", "platforms": ["x"]}"#, 201, #""length":280"#),
                (#"{"platforms": ["x"]}"#, 400, "text: missing"),
                (#"{"text": "hi", "platforms": ["x"], "scheduled_at": "tomorrow"}"#, 400, "scheduled_at: expected an ISO 8601 time"),
                (#"{"text": 5, "platforms": ["x"]}"#, 400, "text: expected a string"),
                (#"{"text": "hi", "platforms": ["x"]"#, 400, "not valid JSON"),
                (#"{"text": "hi", "platforms": ["x"], "conversation_id": "\#(UUID().uuidString)"}"#, 404, "no such conversation"),
                (#"{"text": "hi", "platforms": [\#(Array(repeating: "\"x\"", count: 5000).joined(separator: ","))]}"#, 201, #""platform":"x""#),
            ]
            for (json, status, message) in cases {
                let answer = try await harness.call("POST", "/v1/posts", json: json)
                #expect(answer.status == status, "\(json): \(answer.body)")
                #expect(answer.body.contains(message), "\(json): \(answer.body)")
            }
            // A text that fits X exactly is fine (URLs count 23, whatever their length).
            let url = "https://example.com/" + String(repeating: "p", count: 200)
            let fits = try await harness.call(
                "POST", "/v1/posts", json: #"{"text": "\#(String(repeating: "a", count: 256)) \#(url)", "platforms": ["x"]}"#)
            #expect(fits.status == 201, "\(fits.body)")
            #expect(fits.body.contains(#""length":280"#), "\(fits.body)")
        }
    }

    @Test("a platform without an account, or not allowed by the policy, is refused")
    func accountsAndPolicy() async throws {
        try await PublishHarness.with(runWorker: false) { harness in
            let other = try await TenantStore(pool: harness.database.app).createTenant(name: "Other")
            let noAccount = try await harness.call("POST", "/v1/posts", json: #"{"text": "hi", "platforms": ["x"]}"#, credential: other.apiKey)
            #expect(noAccount.status == 400)
            #expect(noAccount.body.contains("no x account is connected; add one with PUT /v1/social-accounts/x"))
            _ = try await PolicyStore(pool: harness.database.app).apply("platforms: [mastodon]\n", tenant: harness.tenant.tenantID)
            let disallowed = try await harness.call("POST", "/v1/posts", json: #"{"text": "hi", "platforms": ["x"]}"#)
            #expect(disallowed.status == 400)
            #expect(disallowed.body.contains("policy does not allow x"), "\(disallowed.body)")
        }
    }

    @Test("another tenant's post is not found; a made-up id is not found")
    func crossTenant() async throws {
        try await PublishHarness.with(runWorker: false) { harness in
            let id = try await harness.draft("Ours.", platforms: ["mastodon"])
            let other = try await TenantStore(pool: harness.database.app).createTenant(name: "Other")
            for (method, path) in [("GET", "/v1/posts/\(id)"), ("POST", "/v1/posts/\(id)/publish"), ("DELETE", "/v1/posts/\(id)")] {
                let answer = try await harness.call(method, path, credential: other.apiKey)
                #expect(answer.status == 404, "\(method) \(path): \(answer.body)")
            }
            #expect(try await harness.call("GET", "/v1/posts/not-a-uuid").status == 404)
            #expect(try await harness.call("GET", "/v1/posts/\(UUID())").status == 404)
            #expect(try await harness.call("GET", "/v1/posts/\(id)", credential: "lp_not_a_key").status == 401)
            #expect(try await harness.post(id)?.status == .draft, "nothing the other tenant did changed it")
        }
    }

    @Test("social accounts: API key only, known platforms, base URL only where the platform takes one")
    func socialAccounts() async throws {
        let redisPort = try TestEnvironment.redisURL().port
        try await PublishHarness.with(runWorker: false) { harness in
            let token = try harness.signer.sign(JWTClaims(sub: "alice", tid: harness.tenant.tenantID.description, lifetime: .seconds(600)))
            let cases: [(String, String, String?, Int, String)] = [
                ("myspace", #"{"access_token": "t"}"#, nil, 400, "no plugin named"),
                ("x", #"{"access_token": ""}"#, nil, 400, "access_token: must have"),
                ("x", #"{"access_token": "t", "base_url": "https://evil.example"}"#, nil, 400, "leave it out"),
                ("mastodon", #"{"access_token": "t", "base_url": "ftp://x"}"#, nil, 400, "is not an http(s) URL"),
                // A tenant pointing its instance at Leopost's own Redis, or at the cloud's metadata service.
                (
                    "mastodon", #"{"access_token": "t", "base_url": "http://127.0.0.1:\#(redisPort)"}"#, nil, 400,
                    "base_url 127.0.0.1:\(redisPort) is a private address (loopback)"
                ),
                (
                    "webhook", #"{"access_token": "t", "base_url": "http://169.254.169.254/latest/meta-data"}"#, nil, 400,
                    "is a private address (link-local"
                ),
                ("webhook", #"{"access_token": "t"}"#, nil, 400, "needs the account's own address"),
                ("x", #"{"access_token": "t"}"#, token, 403, "needs the tenant's API key"),
                ("x", #"{"token": "t"}"#, nil, 400, "access_token: missing"),
            ]
            for (platform, json, credential, status, message) in cases {
                let answer = try await harness.call("PUT", "/v1/social-accounts/\(platform)", json: json, credential: credential)
                #expect(answer.status == status, "\(platform) \(json): \(answer.body)")
                #expect(answer.body.contains(message), "\(platform) \(json): \(answer.body)")
            }
            let stored = try await harness.call("PUT", "/v1/social-accounts/x", json: #"{"access_token": "new-token", "account_id": "42"}"#)
            #expect(stored.status == 200)
            #expect(!stored.body.contains("new-token"))
        }
    }

    @Test("an account whose base_url leads to this machine's servers by name fails its post at call time, and nothing is sent")
    func accountBaseURLJudgedAtCallTime() async throws {
        let redisPort = try TestEnvironment.redisURL().port
        try await PublishHarness.with { harness in
            // Stored before the guard existed, or a name that resolves to loopback: judged when the call is made.
            let account = PublishHarness.account("mastodon", token: "t", baseURL: "http://localhost:\(redisPort)")
            try await SocialAccountStore(pool: harness.database.app, masterKey: PublishHarness.masterKey).put(
                account, tenant: harness.tenant.tenantID)
            let id = try await harness.publish("To Redis?", platforms: ["mastodon"])
            let post = try await harness.settled(id)
            let target = try #require(post.targets.first)
            #expect(target.status == .failed, "\(target)")
            #expect(target.lastError?.contains("is a private address") == true, "\(target.lastError ?? "")")
            #expect(harness.mastodon.ledger.attempts == 0)
        }
    }

    @Test("100,000 platform names are refused at once")
    func aHundredThousandPlatforms() async throws {
        try await PublishHarness.with(runWorker: false, maxBodyBytes: 2 << 20) { harness in
            let names = (0..<100_000).map { "\"p\($0)\"" }.joined(separator: ",")
            let answer = try await harness.call("POST", "/v1/posts", json: #"{"text": "hi", "platforms": [\#(names)]}"#)
            #expect(answer.status == 400)
            #expect(answer.body.contains("at most 16 different platforms"), "\(answer.body.prefix(300))")
        }
    }

    @Test("a chat token reaches only the posts of its person's conversations")
    func chatTokensReachOnlyTheirOwnPosts() async throws {
        try await PublishHarness.with(runWorker: false) { harness in
            let tenant = harness.tenant.tenantID
            let token = { (user: String) in
                try harness.signer.sign(JWTClaims(sub: user, tid: tenant.description, lifetime: .seconds(600)))
            }
            let alice = try token("alice")
            let bob = try token("bob")
            let aliceID = try await UserStore(pool: harness.database.app).resolve(name: "alice", tenant: tenant)
            let hers = try await ConversationStore(pool: harness.database.app).create(tenant: tenant, userID: aliceID, channel: "web")
            let json = #"{"text": "Hers.", "platforms": ["mastodon"], "conversation_id": "\#(hers.id.uuidString)"}"#
            let stolen = try await harness.call("POST", "/v1/posts", json: json, credential: bob)
            #expect(stolen.status == 404, "bob cannot draft into alice's conversation: \(stolen.body)")
            let loose = try await harness.call("POST", "/v1/posts", json: #"{"text": "Mine.", "platforms": ["mastodon"]}"#, credential: bob)
            #expect(loose.status == 400 && loose.body.contains("conversation_id"), "\(loose.body)")
            let created = try await harness.call("POST", "/v1/posts", json: json, credential: alice)
            #expect(created.status == 201, "\(created.body)")
            let id = try #require((PublishHarness.object(created.body)["id"] as? String).flatMap(UUID.init(uuidString:)))
            for (method, path) in [("GET", "/v1/posts/\(id)"), ("POST", "/v1/posts/\(id)/publish"), ("DELETE", "/v1/posts/\(id)")] {
                let answer = try await harness.call(method, path, credential: bob)
                #expect(answer.status == 404, "\(method) \(path) as bob: \(answer.body)")
            }
            #expect(try await harness.post(id)?.status == .draft, "nothing bob did changed it")
            #expect(try await harness.call("GET", "/v1/posts/\(id)", credential: alice).status == 200)
            #expect(try await harness.call("GET", "/v1/posts/\(id)").status == 200, "the API key sees every post of the tenant")
            let tenantsOwn = try await harness.draft("From the API.", platforms: ["mastodon"])
            #expect(try await harness.call("GET", "/v1/posts/\(tenantsOwn)", credential: alice).status == 404)
            #expect(try await harness.call("DELETE", "/v1/posts/\(id)", credential: alice).status == 200)
        }
    }

    @Test("every publishing route refuses a missing credential, an oversized body and malformed JSON; accounts stay in their tenant")
    func credentialsSizesAndTenants() async throws {
        try await PublishHarness.with(runWorker: false) { harness in
            let id = try await harness.draft("Ours.", platforms: ["mastodon"])
            let routes: [(String, String, String?)] = [
                ("GET", "/v1/platforms", nil), ("GET", "/v1/social-accounts", nil), ("PUT", "/v1/social-accounts/x", #"{"access_token": "t"}"#),
                ("POST", "/v1/posts", #"{"text": "hi", "platforms": ["x"]}"#), ("GET", "/v1/posts/\(id)", nil),
                ("POST", "/v1/posts/\(id)/publish", nil),
                ("DELETE", "/v1/posts/\(id)", nil),
            ]
            for (method, path, json) in routes {
                var headers: [(String, String)] = []
                if json != nil { headers.append(("Content-Type", "application/json")) }
                let response = try await harness.http.execute(
                    HTTPClientRequest(
                        method: method, url: "http://127.0.0.1:\(harness.port)\(path)", headers: HTTPClientHeaders(headers),
                        body: json.map { Array($0.utf8) }))
                #expect(response.status == 401, "\(method) \(path) without a credential")
            }
            let huge = String(repeating: "a", count: 70 * 1024)
            #expect(try await harness.call("POST", "/v1/posts", json: #"{"text": "\#(huge)", "platforms": ["x"]}"#).status == 413)
            #expect(try await harness.call("PUT", "/v1/social-accounts/x", json: #"{"access_token": "\#(huge)"}"#).status == 413)
            let malformed = try await harness.call("PUT", "/v1/social-accounts/x", json: #"{"access_token": "#)
            #expect(malformed.status == 400)
            #expect(malformed.body.contains("not valid JSON"), "\(malformed.body)")
            let rival = try await TenantStore(pool: harness.database.app).createTenant(name: "Rival")
            let listed = try await harness.call("GET", "/v1/social-accounts", credential: rival.apiKey)
            #expect(listed.status == 200)
            #expect(listed.body == #"{"accounts":[]}"#, "\(listed.body)")
            #expect(try await harness.post(id)?.status == .draft)
        }
    }

    @Test("GET /v1/platforms lists the loaded plugins, and one dropped in while running appears")
    func platforms() async throws {
        try await PublishHarness.with(runWorker: false) { harness in
            let listed = try await harness.call("GET", "/v1/platforms")
            #expect(listed.status == 200)
            let names = (PublishHarness.object(listed.body)["platforms"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(names == ["discord", "linkedin", "mastodon", "meta", "webhook", "x"])
            #expect(listed.body.contains(#""counting":"weighted""#))
            let logger = TestEnvironment.logger()
            try PluginFixtures.fixture("libfixture.so", in: harness.registry.configuration.directory)
            try await withRunningServices([PluginDirectoryWatcher(registry: harness.registry, interval: .milliseconds(50))], logger: logger) {
                let deadline = ContinuousClock.now + .seconds(10)
                while harness.registry.plugin(named: "fixture") == nil && ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
            let again = try await harness.call("GET", "/v1/platforms")
            #expect(again.body.contains(#""name":"fixture""#), "\(again.body)")
        }
    }
}
