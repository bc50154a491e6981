import Foundation
import LeopostPluginKit

/// Publishes to Meta through the Graph API: a text post on a Facebook Page's feed, or an image
/// post on the Instagram professional account linked to the Page (see ``MetaTarget``).
///
/// Neither endpoint takes an idempotency key, so an unanswered publish is reconciled by
/// ``checkStatus(_:host:)``: the object by id when one was returned, else the Page's or
/// Instagram account's ten latest posts, looking for the same text made after the attempt.
struct MetaPlatform: PlatformPlugin {
    static let name = "meta"
    static let version = "1.0.0"

    /// The Graph API version these requests and answers were written against; an account may
    /// name another with the setting `graph_version`.
    static let defaultGraphVersion = "v21.0"

    /// What the publish worker needs to know about Meta.
    ///
    /// - The text limit is Instagram's 2,200-character caption, not a Facebook post's 63,206:
    ///   the manifest has one limit and a Meta account may target Instagram, so the stricter holds.
    /// - `per_account` is Instagram's publishing limit of 50 API-published posts per rolling 24
    ///   hours (the `media_publish` reference and `content_publishing_limit`'s `quota_total`;
    ///   an older guide says 100): the smaller figure cannot be exceeded by either target.
    /// - No `per_app`: Page and Instagram calls made with a Page token fall under Meta's
    ///   business-use-case limits, counted per Page or Instagram account and scaled by its
    ///   audience, and the platform limit (200 calls per user per hour) scales with the app's
    ///   users; no fixed app-wide figure is true, and throttling answers say when to come back.
    static let manifest = """
        {"platform": "Meta", "api_version": "\(defaultGraphVersion)",
         "text": {"limit": 2200, "counting": "characters"},
         "media": ["image", "video"], "media_required": false,
         "hosts": ["https://graph.facebook.com"], "base_url": "https://graph.facebook.com", "account_base_url": false,
         "rate_limits": {"per_account": {"requests": 50, "seconds": 86400}},
         "idempotent_publish": false,
         "oauth": {"authorize_url": "https://www.facebook.com/\(defaultGraphVersion)/dialog/oauth",
                   "token_url": "https://graph.facebook.com/\(defaultGraphVersion)/oauth/access_token",
                   "scopes": ["pages_manage_posts", "pages_read_engagement", "instagram_basic", "instagram_content_publish"]}}
        """

    /// Publishes to the account's target.
    func publish(_ request: PublishRequest, host: PluginHost) -> PluginOutcome {
        let target: MetaTarget
        switch MetaTarget.of(request.account) {
        case .success(let resolved): target = resolved
        case .failure(let problem): return .disconnected(problem.message)
        }
        let graph = MetaGraph(host: host, baseURL: request.baseURL, account: request.account)
        switch target {
        case .page(let pageID): return publishToPage(request, pageID: pageID, graph: graph)
        case .instagram(let userID): return publishToInstagram(request, userID: userID, graph: graph)
        }
    }

    /// Finds out whether an unanswered publish reached the target.
    func checkStatus(_ request: StatusRequest, host: PluginHost) -> PluginOutcome {
        let target: MetaTarget
        switch MetaTarget.of(request.publish.account) {
        case .success(let resolved): target = resolved
        case .failure(let problem): return .disconnected(problem.message)
        }
        let graph = MetaGraph(host: host, baseURL: request.publish.baseURL, account: request.publish.account)
        if let id = request.remoteID, !id.isEmpty {
            let response = graph.get(id, query: [("fields", "id")])
            if MetaOutcome.isMissingObject(response) { return .ok(StatusAnswer.notFound) }
            guard response.transport == .answered, response.status == 200 else { return MetaOutcome.failure(response, publishing: false) }
            return .ok(StatusAnswer.published(remoteID: id))
        }
        // Graph times are whole seconds: compare in seconds, or a post made in the same second
        // as the attempt would look older than it.
        let sentAfter = request.sentAfterMilliseconds / 1000
        let text = request.publish.text
        switch target {
        case .page(let pageID):
            let response = graph.get("\(pageID)/feed", query: [("fields", "id,message,created_time"), ("limit", "10")])
            guard response.transport == .answered, response.status == 200 else { return MetaOutcome.failure(response, publishing: false) }
            guard let posts = response.json(GraphList<GraphPagePost>.self)?.data else { return Self.unreadable(response) }
            let match = posts.first { $0.message == text && ($0.createdTime.flatMap(Self.seconds) ?? .min) >= sentAfter }
            return .ok(match.map { StatusAnswer.published(remoteID: $0.id) } ?? StatusAnswer.notFound)
        case .instagram(let userID):
            let response = graph.get("\(userID)/media", query: [("fields", "id,caption,timestamp"), ("limit", "10")])
            guard response.transport == .answered, response.status == 200 else { return MetaOutcome.failure(response, publishing: false) }
            guard let media = response.json(GraphList<GraphMedia>.self)?.data else { return Self.unreadable(response) }
            let match = media.first { $0.caption == text && ($0.timestamp.flatMap(Self.seconds) ?? .min) >= sentAfter }
            return .ok(match.map { StatusAnswer.published(remoteID: $0.id) } ?? StatusAnswer.notFound)
        }
    }

    /// Flags in the preview what neither target takes from this plugin yet.
    func validate(_ request: ValidateRequest, host: PluginHost) -> PluginOutcome? {
        var problems: [String] = []
        if request.media.contains(where: { $0.kind != "image" }) { problems.append("video is not supported yet by this plugin") }
        if request.media.count > 1 { problems.append("only one image per post is supported yet by this plugin") }
        return .ok(ValidateAnswer(length: request.text.count, problems: problems))
    }

    /// `POST /{page-id}/feed` with `message` → `{"id": "{page-id}_{post-id}"}`.
    private func publishToPage(_ request: PublishRequest, pageID: String, graph: MetaGraph) -> PluginOutcome {
        guard request.media.isEmpty else {
            return .badRequest("media on a Facebook Page post is not supported yet by this plugin: publish the text alone or target Instagram")
        }
        let response = graph.post("\(pageID)/feed", form: [("message", request.text)])
        guard response.transport == .answered, response.status == 200 else { return MetaOutcome.failure(response, publishing: true) }
        guard let id = response.json(GraphID.self)?.id, !id.isEmpty else {
            return .unknownOutcome("Meta answered 200 to the Page post without an id: \(response.bodySnippet)")
        }
        return .ok(PublishAnswer(remoteID: id))
    }

    /// A 200 whose body is not the list asked for: ask again later.
    private static func unreadable(_ response: PluginHost.Response) -> PluginOutcome {
        .retryAfter(seconds: 30, message: "Meta's list of posts could not be read: \(response.bodySnippet)")
    }

    /// Whole seconds since 1970 of a Graph timestamp (the Graph API writes whole seconds).
    private static func seconds(_ text: String) -> Int64? {
        ISO8601Instant.parse(text).map { Int64($0.timeIntervalSince1970.rounded(.down)) }
    }
}
