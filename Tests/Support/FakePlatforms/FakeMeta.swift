import Foundation
public import Hummingbird
import NIOCore
import Synchronization

/// A local Graph API for one Facebook Page and its linked Instagram professional account,
/// speaking Graph's wire format so the Meta plugin is tested against what Meta answers.
///
/// Under any version prefix (`/v21.0/…`):
/// - `POST /{page-id}/feed` (`message`) → `{"id": "{page-id}_{post-id}"}`;
///   `GET /{page-id}/feed?fields=id,message,created_time&limit=` → `{"data": [...], "paging": {...}}`.
/// - `POST /{ig-user-id}/media` (`image_url`, `caption`) → a container `{"id"}`, born FINISHED;
///   `GET /{container-id}?fields=status_code`; `POST /{ig-user-id}/media_publish` (`creation_id`)
///   → `{"id": media-id}`; `GET /{ig-user-id}/media?fields=id,caption,timestamp&limit=`.
/// - `GET /{object-id}?fields=id` → `{"id"}`, or code 100 / subcode 33 when there is no such object.
///
/// The token may come as `Authorization: Bearer`, or as an `access_token` query or form
/// parameter; parameters as query, form or JSON. Errors are Graph's envelope
/// `{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}`, mostly with HTTP 400
/// as Graph sends them. The ledger's behaviours apply to the calls that publish (the Page feed
/// post and `media_publish`): a throttle (code 32 for the Page, 80002 for Instagram, with
/// `X-App-Usage` and `X-Business-Use-Case-Usage` giving `estimated_time_to_regain_access` in
/// minutes), code 2 with HTTP 500, an expired token (190 / 463), or accept-then-stall.
public final class FakeMeta: Sendable {
    /// The only Page access token the fake accepts.
    public let token: String
    /// The Page the token manages.
    public let pageID: String
    /// The Instagram professional account linked to the Page.
    public let instagramUserID: String
    /// Accepted Page posts and Instagram media, publish attempts and queued behaviours.
    public let ledger = FakePlatformLedger()

    /// An Instagram media container: created by `/media`, consumed by `/media_publish`.
    private struct Container {
        let owner: String
        let imageURL: String
        let caption: String
        var mediaID: String?
    }

    private let containers = Mutex<[String: Container]>([:])

    /// Creates a fake Page `pageID`, reached with `token`, linked to Instagram account `instagramUserID`.
    public init(token: String = "meta-page-token", pageID: String = "1234567890", instagramUserID: String = "17841400000000000") {
        self.token = token
        self.pageID = pageID
        self.instagramUserID = instagramUserID
    }

    /// The fake's routes.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.post("/:version/:node/feed") { request, context -> Response in
            let (params, refusal) = try await self.open(request, context)
            if let refusal { return refusal }
            guard context.parameters.get("node") == self.pageID else { return Self.missing(context, verb: "post") }
            let stall: Double?
            switch self.misbehave(.page) {
            case .answer(let answer): return answer
            case .publish(let seconds): stall = seconds
            }
            guard let message = params["message"], !message.isEmpty else {
                return Self.error(400, code: 100, "(#100) Missing message or attachment")
            }
            let id = "\(self.pageID)_\(self.ledger.newID())"
            self.ledger.accept(id: id, text: message, idempotencyKey: nil, author: self.pageID)
            return try await Self.answer(FakePlatformLedger.json(.ok, #"{"id":"\#(id)"}"#), after: stall)
        }
        router.get("/:version/:node/feed") { request, context -> Response in
            let (params, refusal) = try await self.open(request, context)
            if let refusal { return refusal }
            guard context.parameters.get("node") == self.pageID else { return Self.missing(context, verb: "get") }
            return self.list(author: self.pageID, limit: params["limit"]) { post in
                ["id": post.id, "message": post.text, "created_time": Self.graphTime(post.createdAt)]
            }
        }
        router.post("/:version/:node/media") { request, context -> Response in
            let (params, refusal) = try await self.open(request, context)
            if let refusal { return refusal }
            guard context.parameters.get("node") == self.instagramUserID else { return Self.missing(context, verb: "post") }
            guard let imageURL = params["image_url"], !imageURL.isEmpty else {
                return Self.error(400, code: 100, "(#100) The parameter image_url is required")
            }
            let id = self.ledger.newID()
            let container = Container(owner: self.instagramUserID, imageURL: imageURL, caption: params["caption"] ?? "", mediaID: nil)
            self.containers.withLock { $0[id] = container }
            return FakePlatformLedger.json(.ok, #"{"id":"\#(id)"}"#)
        }
        router.post("/:version/:node/media_publish") { request, context -> Response in
            let (params, refusal) = try await self.open(request, context)
            if let refusal { return refusal }
            guard context.parameters.get("node") == self.instagramUserID else { return Self.missing(context, verb: "post") }
            let creationID = params["creation_id"] ?? ""
            let container = self.containers.withLock { $0[creationID] }
            guard let container, container.owner == self.instagramUserID, container.mediaID == nil else {
                // Graph's exact words for this case are not documented; the code is its "invalid parameter".
                return Self.error(
                    400, code: 100, "Invalid parameter", userMessage: "creation_id \(creationID) is not an unpublished container of this account")
            }
            let stall: Double?
            switch self.misbehave(.instagram) {
            case .answer(let answer): return answer
            case .publish(let seconds): stall = seconds
            }
            let mediaID = self.ledger.newID()
            self.containers.withLock { $0[creationID]?.mediaID = mediaID }
            self.ledger.accept(id: mediaID, text: container.caption, idempotencyKey: nil, author: self.instagramUserID)
            return try await Self.answer(FakePlatformLedger.json(.ok, #"{"id":"\#(mediaID)"}"#), after: stall)
        }
        router.get("/:version/:node/media") { request, context -> Response in
            let (params, refusal) = try await self.open(request, context)
            if let refusal { return refusal }
            guard context.parameters.get("node") == self.instagramUserID else { return Self.missing(context, verb: "get") }
            return self.list(author: self.instagramUserID, limit: params["limit"]) { media in
                ["id": media.id, "caption": media.text, "timestamp": Self.graphTime(media.createdAt)]
            }
        }
        router.get("/:version/:node") { request, context -> Response in
            let (_, refusal) = try await self.open(request, context)
            if let refusal { return refusal }
            let node = context.parameters.get("node") ?? ""
            if let container = self.containers.withLock({ $0[node] }) {
                let status = container.mediaID == nil ? "FINISHED" : "PUBLISHED"
                return FakePlatformLedger.json(.ok, #"{"status_code":"\#(status)","id":"\#(node)"}"#)
            }
            if self.ledger.posts.contains(where: { $0.id == node }) || node == self.pageID || node == self.instagramUserID {
                return FakePlatformLedger.json(.ok, #"{"id":"\#(node)"}"#)
            }
            return Self.missing(context, verb: "get")
        }
        return router
    }

    // MARK: - Behaviours

    /// Which business-use-case limit a throttle belongs to.
    private enum Surface {
        case page, instagram
    }

    /// What the next queued behaviour asks of a publishing call.
    private enum Decision {
        /// Answer this instead of publishing.
        case answer(Response)
        /// Publish, then hold the answer this many seconds (`nil`: answer at once).
        case publish(stall: Double?)
    }

    /// Draws the next behaviour for a publishing call on `surface`.
    private func misbehave(_ surface: Surface) -> Decision {
        switch ledger.nextBehaviour() {
        case .rateLimit(let retryAfter)?:
            let minutes = max(1, (retryAfter + 59) / 60)
            let (owner, type, code, message) =
                surface == .page
                ? (pageID, "pages", 32, "(#32) Page request limit reached")
                : (
                    instagramUserID, "instagram", 80002,
                    "(#80002) There have been too many calls to this Instagram account. Wait a bit and try again."
                )
            return .answer(
                Self.error(
                    400, code: code, message, transient: true,
                    headers: [
                        ("x-app-usage", #"{"call_count":100,"total_cputime":12,"total_time":14}"#),
                        (
                            "x-business-use-case-usage",
                            #"{"\#(owner)":[{"type":"\#(type)","call_count":100,"total_cputime":12,"total_time":14,"estimated_time_to_regain_access":\#(minutes)}]}"#
                        ),
                    ]))
        case .serverError?:
            return .answer(Self.error(500, code: 2, "(#2) Service temporarily unavailable", transient: true))
        case .expiredToken?:
            return .answer(
                Self.error(
                    400, code: 190, "Error validating access token: Session has expired on Thursday, 01-Jan-26 00:00:00 PST.",
                    subcode: 463))
        case .acceptThenStall(let seconds)?:
            return .publish(stall: seconds)
        case nil:
            return .publish(stall: nil)
        }
    }

    /// `answer`, after holding it `stall` seconds: the post is made, the caller never hears of it.
    private static func answer(_ answer: Response, after stall: Double?) async throws -> Response {
        if let stall { try await Task.sleep(for: .seconds(stall)) }
        return answer
    }

    // MARK: - Request parts

    /// The request's parameters (query, then form or JSON body) and, when Graph would refuse it
    /// before reading on (no or a wrong token, no version), that refusal.
    private func open(_ request: Request, _ context: BasicRequestContext) async throws -> ([String: String], Response?) {
        var params: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { params[String(key)] = String(value) }
        if request.method == .post {
            let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
            let isJSON = request.headers[.contentType]?.contains("json") ?? false
            for (key, value) in isJSON ? Self.jsonParameters(body) : Self.formParameters(body) { params[key] = value }
        }
        guard (context.parameters.get("version") ?? "").hasPrefix("v") else {
            return (params, Self.error(400, code: 2500, "Unknown path components: \(request.uri.path)"))
        }
        let bearer = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        guard let presented = bearer ?? params["access_token"] else {
            return (params, Self.error(400, code: 104, "An access token is required to request this resource."))
        }
        guard presented == token else {
            return (params, Self.error(400, code: 190, "Invalid OAuth access token - Cannot parse access token"))
        }
        return (params, nil)
    }

    /// `a=1&b=two%20words` (a `+` is a space).
    private static func formParameters(_ body: String) -> [(String, String)] {
        body.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring?) -> String {
                let text = String(part ?? "").replacingOccurrences(of: "+", with: " ")
                return text.removingPercentEncoding ?? text
            }
            return (decode(parts.first), decode(parts.count > 1 ? parts[1] : nil))
        }
    }

    /// A JSON object's top-level values as text.
    private static func jsonParameters(_ body: String) -> [(String, String)] {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] else { return [] }
        return object.map { ($0.key, $0.value as? String ?? "\($0.value)") }
    }

    // MARK: - Answers

    /// `{"data": [...], "paging": {...}}` of `author`'s posts, newest first.
    private func list(author: String, limit: String?, _ fields: (FakePlatformPost) -> [String: String]) -> Response {
        let count = max(1, min(limit.flatMap { Int($0) } ?? 25, 100))
        let items = ledger.posts.filter { $0.author == author }.reversed().prefix(count).map(fields)
        let object: [String: Any] = ["data": Array(items), "paging": ["cursors": ["before": "QVFIUk", "after": "QVFIUl"]]]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return FakePlatformLedger.json(.ok, String(decoding: data, as: UTF8.self))
    }

    /// Graph's answer for an id that names nothing this token can see.
    private static func missing(_ context: BasicRequestContext, verb: String) -> Response {
        let node = context.parameters.get("node") ?? ""
        return error(
            400, code: 100,
            "Unsupported \(verb) request. Object with ID '\(node)' does not exist, cannot be loaded due to missing permissions, "
                + "or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
            subcode: 33, type: "GraphMethodException")
    }

    /// Graph's error envelope with that HTTP status.
    private static func error(
        _ status: Int, code: Int, _ message: String, subcode: Int? = nil, type: String = "OAuthException", transient: Bool? = nil,
        userMessage: String? = nil, headers: [(String, String)] = []
    ) -> Response {
        var fields: [String: Any] = ["message": message, "type": type, "code": code, "fbtrace_id": "AFakeTrace\(code)"]
        if let subcode { fields["error_subcode"] = subcode }
        if let transient { fields["is_transient"] = transient }
        if let userMessage { fields["error_user_msg"] = userMessage }
        let data = (try? JSONSerialization.data(withJSONObject: ["error": fields], options: [.sortedKeys])) ?? Data("{}".utf8)
        return FakePlatformLedger.json(.init(code: status), String(decoding: data, as: UTF8.self), headers: headers)
    }

    /// "2026-11-26T04:21:05+0000": Graph's timestamp form, whole seconds in UTC.
    static func graphTime(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        let text = formatter.string(from: date)
        return text.hasSuffix("Z") ? String(text.dropLast()) + "+0000" : text
    }
}
