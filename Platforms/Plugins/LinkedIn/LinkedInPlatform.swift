import Foundation
import LeopostPluginKit

/// Publishes text posts to LinkedIn through the versioned Posts API (`POST /rest/posts`), as a
/// member (`urn:li:person:…`) or an organization page (`urn:li:organization:…`).
///
/// LinkedIn versions its REST API by month: every call names one in `LinkedIn-Version`, and a
/// version is switched off about a year after release (426 NONEXISTENT_VERSION). The version is
/// therefore the account's setting `linkedin_version` when present, else ``defaultVersion``, so
/// an operator can move on without a new plugin. The Posts API has no idempotency key: an
/// unanswered publish is reconciled by ``checkStatus(_:host:)``, which reads the post back.
struct LinkedInPlatform: PlatformPlugin {
    static let name = "linkedin"
    static let version = "1.0.0"

    /// The `LinkedIn-Version` this plugin's request and response shapes were written and checked
    /// against (Posts API, September 2026, the newest listed when it was written). LinkedIn keeps
    /// a version active for about twelve months; after that, set `linkedin_version` per account.
    static let defaultVersion = "202609"

    /// What the publish worker needs to know about LinkedIn. The limit is LinkedIn's 3,000
    /// characters of commentary; the rate limits are the documented Share on LinkedIn quotas
    /// (150 requests per member and 100,000 per application per UTC day).
    static let manifest = """
        {"platform": "LinkedIn", "api_version": "\(defaultVersion)",
         "text": {"limit": 3000, "counting": "characters"},
         "media": ["image", "video", "document"], "media_required": false,
         "hosts": ["https://api.linkedin.com"], "base_url": "https://api.linkedin.com", "account_base_url": false,
         "rate_limits": {"per_account": {"requests": 150, "seconds": 86400},
                         "per_app": {"requests": 100000, "seconds": 86400}},
         "idempotent_publish": false,
         "oauth": {"authorize_url": "https://www.linkedin.com/oauth/v2/authorization",
                   "token_url": "https://www.linkedin.com/oauth/v2/accessToken",
                   "scopes": ["w_member_social", "w_organization_social"]}}
        """

    /// Posts the text; answers the post's URN from the `x-restli-id` header of the 201.
    func publish(_ request: PublishRequest, host: PluginHost) -> PluginOutcome {
        guard request.media.isEmpty else { return .badRequest(Self.mediaUnsupported) }
        let account = request.account
        guard Self.isAuthorURN(account.accountID) else {
            return .disconnected(
                "the LinkedIn account id \"\(account.accountID)\" is not a person or organization URN "
                    + "(urn:li:person:… or urn:li:organization:…): reconnect the account")
        }
        let post = LinkedInNewPost(author: account.accountID, commentary: LinkedInLittleText.escape(request.text))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        guard let body = try? encoder.encode(post) else { return .badRequest("the post could not be encoded as JSON") }
        let version = Self.version(of: account)
        let response = host.http(
            "POST", Self.root(request.baseURL) + "/rest/posts",
            headers: Self.headers(account, version: version) + [("Content-Type", "application/json")], body: body)
        guard response.transport == .answered, (200..<300).contains(response.status) else {
            return LinkedInOutcome.publishFailure(response, version: version)
        }
        guard let urn = Self.createdURN(response.headers) else {
            return .unknownOutcome("LinkedIn accepted the post (\(response.status)) without naming it in x-restli-id")
        }
        return .ok(PublishAnswer(remoteID: urn, url: Self.postURL(urn)))
    }

    /// Reads the post back: by its URN when known, else among the author's ten latest posts one
    /// with the same text created after the attempt was sent.
    func checkStatus(_ request: StatusRequest, host: PluginHost) -> PluginOutcome {
        let account = request.publish.account
        let version = Self.version(of: account)
        let headers = Self.headers(account, version: version)
        let root = Self.root(request.publish.baseURL)
        if let urn = request.remoteID, !urn.isEmpty {
            let response = host.http("GET", "\(root)/rest/posts/\(Self.encoded(urn))", headers: headers)
            if response.transport == .answered, response.status == 404 { return .ok(StatusAnswer.notFound) }
            guard response.transport == .answered, response.status == 200 else {
                return Self.readRefused(response, author: account.accountID) ?? LinkedInOutcome.readFailure(response, version: version)
            }
            // A post whose publishing failed is on no feed: publishing again cannot duplicate it.
            if response.json(LinkedInPost.self)?.lifecycleState == "PUBLISH_FAILED" { return .ok(StatusAnswer.notFound) }
            return .ok(StatusAnswer.published(remoteID: urn, url: Self.postURL(urn)))
        }
        let query = "author=\(Self.encoded(account.accountID))&q=author&count=10&sortBy=LAST_MODIFIED"
        let response = host.http("GET", "\(root)/rest/posts?\(query)", headers: headers + [("X-RestLi-Method", "FINDER")])
        guard response.transport == .answered, response.status == 200 else {
            return Self.readRefused(response, author: account.accountID) ?? LinkedInOutcome.readFailure(response, version: version)
        }
        guard let page = response.json(LinkedInPostPage.self) else {
            return .retryAfter(seconds: 30, message: "LinkedIn's list of posts could not be read: \(response.bodySnippet)")
        }
        let escaped = LinkedInLittleText.escape(request.publish.text)
        let match = page.elements.first { post in
            guard let id = post.id, !id.isEmpty, let created = post.createdAt, created >= request.sentAfterMilliseconds else { return false }
            // LinkedIn stores the little text as sent; accept the plain text too, should it ever unescape on read.
            return post.commentary == escaped || post.commentary == request.publish.text
        }
        guard let match, let urn = match.id else { return .ok(StatusAnswer.notFound) }
        return .ok(StatusAnswer.published(remoteID: urn, url: Self.postURL(urn)))
    }

    /// Flags attached media in the preview, before a publish would refuse it.
    func validate(_ request: ValidateRequest, host: PluginHost) -> PluginOutcome? {
        .ok(ValidateAnswer(length: request.text.count, problems: request.media.isEmpty ? [] : [Self.mediaUnsupported]))
    }

    // MARK: - Request parts

    /// A 403 on a read: reading posts needs r_member_social (granted only to LinkedIn partners) or
    /// r_organization_social, which publishing does not. The account still publishes, so it is not
    /// disconnected; the outcome simply cannot be learnt here.
    private static func readRefused(_ response: PluginHost.Response, author: String) -> PluginOutcome? {
        guard response.transport == .answered, response.status == 403 else { return nil }
        return .badRequest(
            "LinkedIn does not let this app read the posts of \(author) (\(response.bodySnippet)), so whether the post "
                + "went out cannot be checked: look at the feed and decide by hand")
    }

    private static let mediaUnsupported = "media upload is not supported yet by this plugin"

    /// The account's `linkedin_version` setting, else the version this plugin was checked against.
    private static func version(of account: PluginAccount) -> String {
        let configured = account.settings["linkedin_version"]?.trimmingCharacters(in: .whitespaces) ?? ""
        return configured.isEmpty ? defaultVersion : configured
    }

    /// The headers every versioned REST call needs.
    private static func headers(_ account: PluginAccount, version: String) -> [(String, String)] {
        [
            ("Authorization", "Bearer \(account.accessToken)"),
            ("LinkedIn-Version", version),
            ("X-Restli-Protocol-Version", "2.0.0"),
        ]
    }

    private static func isAuthorURN(_ id: String) -> Bool {
        for prefix in ["urn:li:person:", "urn:li:organization:"] where id.hasPrefix(prefix) && id.count > prefix.count {
            return true
        }
        return false
    }

    /// The new post's URN: `x-restli-id`, else the last segment of `Location` (`/rest/posts/urn%3Ali%3Ashare%3A1`).
    private static func createdURN(_ headers: [String: String]) -> String? {
        if let id = headers["x-restli-id"], !id.isEmpty { return id.removingPercentEncoding ?? id }
        guard let location = headers["location"], let last = location.split(separator: "/").last else { return nil }
        let urn = String(last).removingPercentEncoding ?? String(last)
        return urn.hasPrefix("urn:li:") ? urn : nil
    }

    /// Where a person sees the post.
    private static func postURL(_ urn: String) -> String {
        "https://www.linkedin.com/feed/update/\(urn)/"
    }

    /// The base URL without a trailing slash.
    private static func root(_ baseURL: String) -> String {
        baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }

    /// A URN as one path segment or query value: everything but RFC 3986's unreserved characters
    /// percent-encoded, so `urn:li:share:1` becomes `urn%3Ali%3Ashare%3A1` as LinkedIn requires.
    private static func encoded(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
