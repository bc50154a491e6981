import Foundation
import LeopostPluginKit

/// Posts statuses to a Mastodon instance through its REST API (`POST /api/v1/statuses`).
///
/// Every account lives on its own instance, so the manifest names no hosts and lets the
/// account's base URL decide where requests go. Mastodon honours `Idempotency-Key` for an hour
/// per account, so a publish whose answer was lost is repeated safely with the same key; and
/// `check_status` finds a lost post by listing the account's latest statuses.
struct MastodonPlatform: PlatformPlugin {
    static let name = "mastodon"
    static let version = "1.0.0"
    /// Limits from Mastodon's defaults: 500 characters with links as 23 (`StatusLengthValidator`),
    /// 300 statuses per account per 3 hours (`RateLimiter` family `statuses`).
    static let manifest = """
        {"platform": "Mastodon", "api_version": "v1",
         "text": {"limit": 500, "counting": "characters", "url_length": 23},
         "media": ["image", "video"], "media_required": false,
         "hosts": [], "account_base_url": true,
         "rate_limits": {"per_account": {"requests": 300, "seconds": 10800}},
         "idempotent_publish": true,
         "oauth": {"authorize_url": "/oauth/authorize", "token_url": "/oauth/token",
                   "scopes": ["write:statuses", "read:statuses", "read:accounts"]}}
        """

    /// Said wherever media would be needed: uploads (`POST /api/v2/media`) are not written yet.
    static let mediaRefusal = "Media upload is not supported yet by the Mastodon plugin: publish the post without media."

    /// Mastodon's default status length limit (instances may raise it).
    static let textLimit = 500

    func publish(_ request: PublishRequest, host: PluginHost) -> PluginOutcome {
        guard request.media.isEmpty else { return .badRequest(Self.mediaRefusal) }
        let form = StatusForm(status: request.text, visibility: request.account.settings["visibility"] ?? "public")
        let response = host.http(
            "POST", PluginURLs.join(request.baseURL, "/api/v1/statuses"),
            headers: PluginURLs.bearerHeaders(request.account.accessToken) + [
                ("Content-Type", "application/json"), ("Idempotency-Key", request.idempotencyKey),
            ],
            body: (try? JSONEncoder().encode(form)) ?? Data()
        )
        guard response.transport == .answered, (200..<300).contains(response.status) else {
            // The key makes a repeat harmless: the same key within an hour returns the same status.
            return MastodonFailure.outcome(response, idempotent: true, now: host.now)
        }
        guard let status = response.json(MastodonStatus.self) else {
            return .unknownOutcome("Mastodon accepted the request but did not answer with a status: \(response.bodySnippet)")
        }
        return .ok(PublishAnswer(remoteID: status.id, url: status.link))
    }

    func checkStatus(_ request: StatusRequest, host: PluginHost) -> PluginOutcome {
        let publish = request.publish
        if let remoteID = request.remoteID, !remoteID.isEmpty {
            let response = host.http(
                "GET", PluginURLs.join(publish.baseURL, "/api/v1/statuses/\(PluginURLs.pathSegment(remoteID))"),
                headers: PluginURLs.bearerHeaders(publish.account.accessToken))
            if response.transport == .answered, response.status == 404 { return .ok(StatusAnswer.notFound) }
            guard response.transport == .answered, response.status == 200, let status = response.json(MastodonStatus.self) else {
                return MastodonFailure.outcome(response, idempotent: true, now: host.now)
            }
            return .ok(StatusAnswer.published(remoteID: status.id, url: status.link))
        }
        var accountID = publish.account.accountID
        if accountID.isEmpty {
            let response = host.http(
                "GET", PluginURLs.join(publish.baseURL, "/api/v1/accounts/verify_credentials"),
                headers: PluginURLs.bearerHeaders(publish.account.accessToken))
            guard response.transport == .answered, response.status == 200, let account = response.json(MastodonAccount.self) else {
                return MastodonFailure.outcome(response, idempotent: true, now: host.now)
            }
            accountID = account.id
        }
        let response = host.http(
            "GET", PluginURLs.join(publish.baseURL, "/api/v1/accounts/\(PluginURLs.pathSegment(accountID))/statuses?limit=40"),
            headers: PluginURLs.bearerHeaders(publish.account.accessToken))
        guard response.transport == .answered, response.status == 200, let statuses = response.json([MastodonStatus].self) else {
            return MastodonFailure.outcome(response, idempotent: true, now: host.now)
        }
        // Whole seconds: a little tolerance for the two clocks, which are not the same machine's.
        let sentAfter = Date(timeIntervalSince1970: (Double(request.sentAfterMilliseconds) / 1000).rounded(.down))
        let wanted = MastodonText.comparable(publish.text)
        let match = statuses.first { status in
            guard status.reblog == nil, let created = status.createdDate, created >= sentAfter else { return false }
            return MastodonText.comparable(MastodonText.plainText(fromHTML: status.content)) == wanted
        }
        guard let match else { return .ok(StatusAnswer.notFound) }
        return .ok(StatusAnswer.published(remoteID: match.id, url: match.link))
    }

    func validate(_ request: ValidateRequest, host: PluginHost) -> PluginOutcome? {
        let length = MastodonText.length(of: request.text)
        var problems: [String] = []
        if request.text.allSatisfy(\.isWhitespace), request.media.isEmpty {
            problems.append("Mastodon refuses an empty status: write some text.")
        }
        if length > Self.textLimit {
            problems.append("The text counts \(length) characters on Mastodon (each link counts 23); the limit is \(Self.textLimit).")
        }
        if !request.media.isEmpty { problems.append(Self.mediaRefusal) }
        return .ok(ValidateAnswer(length: length, problems: problems))
    }

    /// The body of `POST /api/v1/statuses`; Mastodon takes JSON as well as form data.
    private struct StatusForm: Encodable {
        var status: String
        var visibility: String
    }
}
