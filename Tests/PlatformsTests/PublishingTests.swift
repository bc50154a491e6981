import Foundation
import LeopostCore
import LeopostTestSupport
import Logging
import ServiceLifecycle
import Testing

/// Posts go out once: through the loaded plugins, to local servers speaking each platform's wire
/// format, with rate limits, lost answers, crashed workers and restarts in between.
@Suite("Publishing")
struct PublishingTests {
    @Test("a post goes out to Mastodon, LinkedIn, X, Meta, a webhook and Discord, once each")
    func publishesEverywhere() async throws {
        try await PublishHarness.with { harness in
            let text = "Spring collection is here: linen, light and made to last."
            let id = try await harness.publish(text, platforms: ["mastodon", "linkedin", "x", "meta", "webhook", "discord"])
            let post = try await harness.settled(id)
            for target in post.targets {
                #expect(target.status == .published, "\(target.platform): \(target.lastError ?? "")")
                #expect(target.remoteID?.isEmpty == false, "\(target.platform)")
                #expect(target.attempts == 1, "\(target.platform)")
            }
            for (name, ledger) in [
                ("mastodon", harness.mastodon.ledger), ("x", harness.x.ledger), ("linkedin", harness.linkedIn.ledger), ("meta", harness.meta.ledger),
                ("webhook", harness.webhook.ledger), ("discord", harness.discord.ledger),
            ] {
                #expect(ledger.posts.map(\.text) == [text], "\(name)")
            }
            #expect(post.targets.first { $0.platform == "linkedin" }?.remoteID?.hasPrefix("urn:li:share:") == true)
            let shown = try await harness.call("GET", "/v1/posts/\(id)")
            #expect(shown.status == 200)
            #expect(shown.body.contains(#""status":"published""#))
        }
    }

    @Test("an Instagram post goes out as a media container, then media_publish")
    func instagram() async throws {
        try await PublishHarness.with { harness in
            let meta = harness.meta
            try await SocialAccountStore(pool: harness.database.app, masterKey: PublishHarness.masterKey).put(
                PublishHarness.account(
                    "meta", token: meta.token, accountID: meta.pageID, settings: ["target": "instagram", "instagram_user_id": meta.instagramUserID]),
                tenant: harness.tenant.tenantID)
            let json =
                #"{"text": "Tulips, up close.", "platforms": ["meta"], "media": [{"kind": "image", "url": "https://cdn.example.com/tulips.jpg"}]}"#
            let created = try await harness.call("POST", "/v1/posts", json: json)
            #expect(created.status == 201, "\(created.body)")
            let id = try #require((PublishHarness.object(created.body)["id"] as? String).flatMap(UUID.init(uuidString:)))
            #expect(try await harness.call("POST", "/v1/posts/\(id)/publish").status == 202)
            let post = try await harness.settled(id)
            #expect(post.targets.first?.status == .published, "\(post.targets)")
            #expect(meta.ledger.posts.map(\.text) == ["Tulips, up close."])
            #expect(meta.ledger.posts.first?.author == meta.instagramUserID)
        }
    }

    @Test("posts beyond the manifest's rate limit wait their turn on the schedule and keep their attempts")
    func ownRateLimit() async throws {
        try await PublishHarness.with(retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(100))) { harness in
            // Discord's manifest allows 5 posts per 2 s per account: 12 posts need about 3 s, and
            // with 2 attempts each they would fail if waiting for the limit spent attempts.
            var ids: [UUID] = []
            for index in 0..<12 { ids.append(try await harness.publish("Post \(index) for Discord.", platforms: ["discord"])) }
            for id in ids {
                let post = try await harness.settled(id, timeout: .seconds(30))
                #expect(post.targets.first?.status == .published, "\(post.targets)")
                #expect(post.targets.first?.attempts == 1)
            }
            #expect(harness.discord.ledger.posts.count == 12)
        }
    }

    @Test("a platform answering 429 with a delay, then 201: published once, after the delay")
    func rateLimitedThenPublished() async throws {
        try await PublishHarness.with { harness in
            harness.x.ledger.queue(.rateLimit(retryAfter: 1))
            harness.mastodon.ledger.queue(.rateLimit(retryAfter: 1))
            let id = try await harness.publish("Rate limits are a fact of life.", platforms: ["x", "mastodon"])
            let post = try await harness.settled(id)
            #expect(post.targets.allSatisfy { $0.status == .published }, "\(post.targets)")
            #expect(harness.x.ledger.posts.count == 1)
            #expect(harness.x.ledger.attempts == 2)
            #expect(harness.mastodon.ledger.posts.count == 1)
            #expect(harness.mastodon.ledger.attempts == 2)
        }
    }

    @Test("a publish whose answer never came is reconciled with the platform, not posted again")
    func unknownOutcomeIsReconciled() async throws {
        try await PublishHarness.with(httpTimeout: .milliseconds(700)) { harness in
            // X has no idempotency key: the worker must ask X whether the post went out.
            harness.x.ledger.queue(.acceptThenStall(seconds: 3))
            // Mastodon honours Idempotency-Key: posting again with the same key is safe.
            harness.mastodon.ledger.queue(.acceptThenStall(seconds: 3))
            let id = try await harness.publish("Did this go out?", platforms: ["x", "mastodon"])
            let post = try await harness.settled(id)
            #expect(post.targets.allSatisfy { $0.status == .published }, "\(post.targets)")
            #expect(harness.x.ledger.posts.count == 1)
            #expect(harness.x.ledger.attempts == 1, "X must not be asked to post twice")
            #expect(harness.mastodon.ledger.posts.count == 1)
            let x = try #require(post.targets.first { $0.platform == "x" })
            #expect(x.remoteID == harness.x.ledger.posts.first?.id)
        }
    }

    @Test("a worker that died after the platform accepted the post does not post it twice")
    func crashAfterAcceptance() async throws {
        try await PublishHarness.with(runWorker: false) { harness in
            let id = try await harness.publish("Posted just before the crash.", platforms: ["x", "linkedin"])
            let posts = PostStore(pool: harness.database.app)
            // What a worker that died mid-call leaves behind: the targets marked publishing, and the
            // platforms holding the posts it sent.
            let post = try #require(try await harness.post(id))
            for target in post.targets {
                _ = try await posts.beginAttempt(target.id, from: [.queued], tenant: harness.tenant.tenantID)
            }
            harness.x.ledger.accept(id: harness.x.ledger.newID(), text: post.text, idempotencyKey: nil, author: harness.x.userID)
            harness.linkedIn.ledger.accept(
                id: "urn:li:share:\(harness.linkedIn.ledger.newID())", text: post.text, idempotencyKey: nil, author: harness.linkedIn.author)
            let logger = TestEnvironment.logger()
            let worker = PublishHarness.worker(
                stage: harness.stage, redis: harness.redis, database: harness.database, registry: harness.registry,
                retry: RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(100)), logger: logger)
            try await withRunningServices([worker], logger: logger) {
                let settled = try await harness.settled(id)
                #expect(settled.targets.allSatisfy { $0.status == .published }, "\(settled.targets)")
            }
            #expect(harness.x.ledger.posts.count == 1)
            #expect(harness.x.ledger.attempts == 0)
            #expect(harness.linkedIn.ledger.posts.count == 1)
            #expect(harness.linkedIn.ledger.attempts == 0)
        }
    }

    @Test("two jobs for one target at once post it once, though the platform is slow to show the post")
    func twoJobsForOneTarget() async throws {
        try await PublishHarness.with(runWorker: false) { harness in
            let id = try await harness.publish("Posted by one of two jobs.", platforms: ["linkedin"])
            let target = try #require(try await harness.post(id)?.targets.first)
            // A second job for the same target (a duplicate queued by any path) runs beside the first;
            // while the first is mid-call, LinkedIn has no such post yet, so asking it proves nothing.
            harness.linkedIn.delayAccepts(.seconds(1))
            let job = PublishJob(tenantID: harness.tenant.tenantID.rawValue, postID: id, targetID: target.id)
            let payload = String(decoding: try JSONEncoder().encode(job), as: UTF8.self)
            try await StageQueue(stage: harness.stage, redis: harness.redis).enqueue(payload, jobID: "duplicate-\(target.id)")
            let logger = TestEnvironment.logger()
            let worker = PublishHarness.worker(
                stage: harness.stage, redis: harness.redis, database: harness.database, registry: harness.registry,
                retry: RetryPolicy(maxAttempts: 6, baseDelay: .milliseconds(100)), inFlightWindow: .seconds(5), logger: logger)
            try await withRunningServices([worker], logger: logger) {
                let settled = try await harness.settled(id)
                #expect(settled.targets.map(\.status) == [.published])
                // Both jobs done: the second one saw the first one's outcome, it did not make its own.
                try await eventually { try await StageQueue(stage: harness.stage, redis: harness.redis).backlog() == (0, 0) }
            }
            #expect(harness.linkedIn.ledger.posts.count == 1)
            #expect(harness.linkedIn.ledger.attempts == 1)
        }
    }

    @Test("a post scheduled 5 s ahead goes out on time although the worker restarted in between")
    func scheduledAcrossRestart() async throws {
        try await PublishHarness.with(runWorker: false) { harness in
            let logger = TestEnvironment.logger()
            let retry = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(100))
            func services() -> [any Service] {
                [
                    PublishHarness.worker(
                        stage: harness.stage, redis: harness.redis, database: harness.database, registry: harness.registry, retry: retry,
                        logger: logger),
                    PostScheduler(redis: harness.redis, stage: harness.stage, interval: .milliseconds(20), logger: logger),
                ]
            }
            // Far enough ahead that a machine busy with every suite still stops the first worker before it is due.
            let due = Date().addingTimeInterval(5)
            var id: UUID?
            try await withRunningServices(services(), logger: logger) {
                id = try await harness.publish("Scheduled for two seconds from now.", platforms: ["mastodon"], scheduledAt: due)
                try await Task.sleep(for: .milliseconds(300))
            }
            // Checked only when the first worker did stop before the due time: a machine busy with
            // every suite may take longer, and the test must not fail on a timing.
            if Date() < due { #expect(harness.mastodon.ledger.posts.isEmpty) }
            try await withRunningServices(services(), logger: logger) {
                let post = try await harness.settled(try #require(id))
                let target = try #require(post.targets.first)
                #expect(target.status == .published)
                // Not before its time (as stored: whole seconds, as the request gave it).
                #expect(try #require(target.publishedAt) >= (try #require(post.scheduledAt)))
            }
            #expect(harness.mastodon.ledger.posts.count == 1)
        }
    }

    @Test("a scheduled post cancelled before its time never goes out; cancelling twice is a conflict")
    func cancelScheduled() async throws {
        try await PublishHarness.with { harness in
            // Far enough ahead that the cancel comes first however busy the machine is; then wait past the time.
            let due = Date().addingTimeInterval(4)
            let id = try await harness.publish("Never mind.", platforms: ["mastodon", "x"], scheduledAt: due)
            let cancelled = try await harness.call("DELETE", "/v1/posts/\(id)")
            #expect(cancelled.status == 200)
            #expect(PublishHarness.object(cancelled.body)["status"] as? String == "cancelled")
            try await Task.sleep(for: .milliseconds(Int64(max(0, due.timeIntervalSinceNow + 1.5) * 1000)))
            #expect(harness.mastodon.ledger.attempts == 0)
            #expect(harness.x.ledger.attempts == 0)
            #expect(try await harness.post(id)?.targets.allSatisfy { $0.status == .cancelled } == true)
            #expect(try await harness.call("DELETE", "/v1/posts/\(id)").status == 409)
            #expect(try await harness.call("POST", "/v1/posts/\(id)/publish").status == 409)
        }
    }

    @Test("an expired token fails the target with what to do, and the account says so")
    func expiredTokens() async throws {
        try await PublishHarness.with { harness in
            harness.mastodon.ledger.queue(.expiredToken)
            var x = PublishHarness.account("x", token: harness.x.token, accountID: harness.x.userID)
            x.expiresAt = Date().addingTimeInterval(-60)
            try await SocialAccountStore(pool: harness.database.app, masterKey: PublishHarness.masterKey).put(x, tenant: harness.tenant.tenantID)
            let id = try await harness.publish("Tokens expire.", platforms: ["mastodon", "x"])
            let post = try await harness.settled(id)
            for target in post.targets {
                #expect(target.status == .failed)
                #expect(target.lastError?.contains("PUT /v1/social-accounts/\(target.platform)") == true, "\(target.lastError ?? "")")
            }
            #expect(harness.x.ledger.attempts == 0, "an expired token is never sent")
            let listed = try await harness.call("GET", "/v1/social-accounts")
            let accounts = PublishHarness.object(listed.body)["accounts"] as? [[String: Any]] ?? []
            #expect(accounts.first { $0["platform"] as? String == "mastodon" }?["status"] as? String == "expired")
            #expect(accounts.first { $0["platform"] as? String == "x" }?["status"] as? String == "expired")
            #expect(!listed.body.contains(harness.x.token), "tokens never come back out")
        }
    }

    @Test("the conversation that asked hears each post.status")
    func statusEvents() async throws {
        try await PublishHarness.with { harness in
            let tenant = harness.tenant.tenantID
            let user = try await UserStore(pool: harness.database.app).resolve(name: "alice", tenant: tenant)
            let conversation = try await ConversationStore(pool: harness.database.app).create(tenant: tenant, userID: user, channel: "web")
            let json = #"{"text": "From the chat.", "platforms": ["mastodon"], "conversation_id": "\#(conversation.id.uuidString)"}"#
            let created = try await harness.call("POST", "/v1/posts", json: json)
            #expect(created.status == 201)
            let id = try #require((PublishHarness.object(created.body)["id"] as? String).flatMap(UUID.init(uuidString:)))
            #expect(try await harness.call("POST", "/v1/posts/\(id)/publish").status == 202)
            _ = try await harness.settled(id)
            // The event follows the record; a busy machine may show the record first.
            let log = ConversationEventLog(redis: harness.redis)
            func statuses() async throws -> [String?] {
                try await log.events(after: nil, conversation: conversation.id).filter { $0.kind == .postStatus }.map {
                    PublishHarness.object($0.data)["status"] as? String
                }
            }
            try await eventually("the published event") { try await statuses().count >= 2 }
            #expect(try await statuses() == ["publishing", "published"])
        }
    }
}
