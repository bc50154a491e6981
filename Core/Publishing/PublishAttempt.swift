import Foundation
import Logging

/// One run of a publish job for one target: checks, then publish or reconcile, then record.
/// The rules are described on ``PublishStage``.
struct PublishAttempt {
    let stage: PublishStage
    let post: Post
    var target: PostTarget
    let tenant: TenantID
    /// The worker will not retry after this run: a retryable failure is recorded as final.
    let isLast: Bool

    private var posts: PostStore { stage.dependencies.posts }

    init(stage: PublishStage, post: Post, target: PostTarget, tenant: TenantID, isLast: Bool) {
        self.stage = stage
        self.post = post
        self.target = target
        self.tenant = tenant
        self.isLast = isLast
    }

    mutating func run() async throws {
        guard post.status == .confirmed, [.queued, .publishing, .unconfirmed].contains(target.status) else { return }
        guard let plugin = stage.dependencies.registry.plugin(named: target.platform) else {
            return try await retryOrFail("the \(target.platform) plugin is not loaded", after: nil, finalStatus: .failed)
        }
        guard let account = try await usableAccount(for: plugin) else { return }
        let baseURL = stage.dependencies.registry.baseURL(for: plugin, account: account.baseURL)
        let accountKey = "\(tenant):\(account.id)"

        var mustPublish = target.status == .queued
        if target.status == .publishing, let sent = target.sentAt {
            let age = Duration.seconds(Date().timeIntervalSince(sent))
            if age < stage.inFlightWindow {
                // Another job may be mid-call: the platform would not know of its post yet.
                let reason = "an attempt that began \(Int(age.components.seconds)) s ago may still be publishing this target"
                return try await retryOrFail(reason, after: stage.inFlightWindow - age, finalStatus: .unconfirmed)
            }
        }
        if !mustPublish {
            // A previous attempt was sent and its outcome never recorded (a crash, a timeout).
            mustPublish = try await reconcile(plugin, account: account, baseURL: baseURL)
            if !mustPublish { return }
        }
        if let wait = try await stage.limits.wait(plugin, account: accountKey) {
            // Nothing was sent: the job waits on the schedule for the limit's time and keeps its attempts.
            let job = PublishJob(tenantID: tenant.rawValue, postID: post.id, targetID: target.id)
            try await stage.dependencies.scheduler.schedule([job], at: Date().addingTimeInterval(Double(wait.milliseconds) / 1000))
            return
        }
        guard let started = try await posts.beginAttempt(target.id, from: [target.status], tenant: tenant) else { return }
        target = started
        await announce(.publishing, error: nil)
        let result = await stage.dependencies.registry.call(
            plugin, .publish, request: request(account: account, baseURL: baseURL, status: false), baseURL: baseURL)
        try await apply(result, plugin: plugin, account: account, accountKey: accountKey)
    }

    /// The tenant's account for the plugin, if it can be posted with; otherwise the target is
    /// failed with what a person must do, and `nil` is returned.
    private mutating func usableAccount(for plugin: LoadedPlugin) async throws -> SocialAccount? {
        let store = stage.dependencies.accounts
        guard let account = try await store.account(platform: plugin.name, tenant: tenant) else {
            try await fail("no \(plugin.name) account is connected; add one with PUT /v1/social-accounts/\(plugin.name)")
            return nil
        }
        if let expiry = account.expiresAt, expiry <= Date() {
            try await store.mark(platform: plugin.name, .expired, reason: "the token expired at \(expiry)", tenant: tenant)
            try await fail("the \(plugin.name) token expired at \(expiry); store a new one with PUT /v1/social-accounts/\(plugin.name)")
            return nil
        }
        guard account.status == .connected else {
            try await fail(
                "the \(plugin.name) account is \(account.status.rawValue) (\(account.statusReason ?? "no reason given")); connect it again with PUT /v1/social-accounts/\(plugin.name)"
            )
            return nil
        }
        return account
    }

    /// Decides whether a target whose last attempt has no recorded outcome must be posted again.
    /// Records it as published when the platform has it.
    private mutating func reconcile(_ plugin: LoadedPlugin, account: SocialAccount, baseURL: String?) async throws -> Bool {
        if plugin.manifest.idempotentPublish == true { return true }
        let result = await stage.dependencies.registry.call(
            plugin, .checkStatus, request: request(account: account, baseURL: baseURL, status: true), baseURL: baseURL)
        struct Status: Decodable {
            let state: String
            let remoteID: String?
            let url: String?
            enum CodingKeys: String, CodingKey { case state, remoteID = "remote_id", url }
        }
        if result.code == .ok, let status = try? JSONCoding.decoder.decode(Status.self, from: Data(result.json.utf8)) {
            if status.state == "published" {
                try await record(.published, remoteID: status.remoteID, url: status.url, error: nil)
                return false
            }
            if status.state == "not_found" { return true }
        }
        let reason = "could not confirm whether the post reached \(plugin.name): \(result.message)"
        try await retryOrFail(reason, after: result.code == .retryAfter ? result.retryAfter : nil, finalStatus: .unconfirmed)
        return false
    }

    private mutating func apply(_ result: PluginCallResult, plugin: LoadedPlugin, account: SocialAccount, accountKey: String) async throws {
        let name = plugin.name
        switch result.code {
        case .ok:
            struct Answer: Decodable {
                let remoteID: String?
                let url: String?
                enum CodingKeys: String, CodingKey { case remoteID = "remote_id", url }
            }
            let answer = try? JSONCoding.decoder.decode(Answer.self, from: Data(result.json.utf8))
            try await record(.published, remoteID: answer?.remoteID, url: answer?.url, error: nil)
        case .retryAfter:
            try await stage.limits.coolDown(plugin, account: accountKey, for: result.retryAfter)
            // Nothing was posted: the target is queued again, and the same key goes with the retry.
            try await retryOrFail("\(name): \(result.message)", after: result.retryAfter, finalStatus: .failed, waitingStatus: .queued)
        case .refreshToken:
            try await stage.dependencies.accounts.mark(platform: name, .expired, reason: result.message, tenant: tenant)
            try await fail("the \(name) token was refused (\(result.message)); store a new one with PUT /v1/social-accounts/\(name)")
        case .disconnected:
            try await stage.dependencies.accounts.mark(platform: name, .disconnected, reason: result.message, tenant: tenant)
            try await fail("the \(name) account is disconnected (\(result.message)); connect it again with PUT /v1/social-accounts/\(name)")
        case .badRequest:
            try await fail("\(name) refused the post: \(result.message)")
        case .unknownOutcome:
            try await retryOrFail("\(name): \(result.message)", after: nil, finalStatus: .unconfirmed, waitingStatus: .unconfirmed)
        }
    }

    /// Records a failure that may go away: the target waits in `waitingStatus` and the job is
    /// retried; on the last attempt it ends in `finalStatus` with the reason instead.
    private mutating func retryOrFail(
        _ reason: String, after delay: Duration?, finalStatus: PostTarget.Status, waitingStatus: PostTarget.Status? = nil
    ) async throws {
        if isLast {
            let final = "gave up after \(target.attempts) attempts: \(reason)"
            try await record(finalStatus, remoteID: nil, url: nil, error: final)
            throw StageFailure.permanent(final)
        }
        if let waitingStatus, waitingStatus != target.status {
            try await record(waitingStatus, remoteID: nil, url: nil, error: reason)
        }
        throw PublishRetry(retryAfter: delay, description: reason)
    }

    /// Records the end of a target whose job the runtime gave up on (see
    /// ``PublishStage/deadLettered(_:reason:)``); a target whose last attempt already recorded its
    /// end is left alone.
    mutating func giveUp() async throws {
        switch target.status {
        case .queued:
            try await fail("Leopost gave up on this post after repeated errors on its side; nothing was sent. Publish it again.")
        case .publishing:
            try await record(.unconfirmed, remoteID: nil, url: nil, error: Self.gaveUpUnconfirmed)
        case .unconfirmed where !(target.lastError ?? "").hasPrefix("gave up"):
            try await record(.unconfirmed, remoteID: nil, url: nil, error: Self.gaveUpUnconfirmed)
        default:
            return
        }
    }

    private static let gaveUpUnconfirmed =
        "gave up: Leopost stopped after repeated errors on its side while the post may have been sent; check the platform before publishing it again."

    private mutating func fail(_ reason: String) async throws {
        try await record(.failed, remoteID: nil, url: nil, error: reason)
    }

    private mutating func record(_ status: PostTarget.Status, remoteID: String?, url: String?, error: String?) async throws {
        if let updated = try await posts.record(target.id, status: status, remoteID: remoteID, remoteURL: url, error: error, tenant: tenant) {
            target = updated
            await announce(status, error: error)
        }
    }

    /// Tells the conversation that asked for the post (and, for a final state, the chat app it is
    /// in); a notice that cannot be sent is logged, never a reason to repeat the publish.
    private func announce(_ status: PostTarget.Status, error: String?) async {
        guard let conversation = post.conversationID else { return }
        let event = PostStatusEvent(
            postID: post.id, targetID: target.id, platform: target.platform, status: status, url: target.remoteURL, error: error)
        do {
            _ = try await stage.dependencies.events.publish(.postStatus, event, conversation: conversation)
            if status.isFinal || (status == .unconfirmed && isLast) {
                try await stage.dependencies.notices?.notify(post, target: target, tenant: tenant)
            }
        } catch {
            stage.logger.warning("post.status not sent", metadata: [LogKey.error: "\(error)"])
        }
    }

    /// The plugin's request JSON: the publish request, plus what `check_status` needs.
    private func request(account: SocialAccount, baseURL: String?, status: Bool) -> String {
        var object: [String: Any] = [
            "idempotency_key": target.idempotencyKey,
            "text": post.text,
            "media": post.media.map { ["kind": $0.kind, "url": $0.url] },
            "base_url": baseURL ?? "",
            "account": ["access_token": account.accessToken, "account_id": account.accountID, "settings": account.settings] as [String: Any],
        ]
        if status {
            if let remoteID = target.remoteID { object["remote_id"] = remoteID }
            // A minute of margin for clocks that disagree with the platform's.
            let sent = (target.sentAt ?? post.createdAt).addingTimeInterval(-60)
            object["sent_after_ms"] = Int64(sent.timeIntervalSince1970 * 1000)
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
