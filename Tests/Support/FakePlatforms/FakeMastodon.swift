import Foundation
public import Hummingbird
import NIOCore
import Synchronization

/// A local Mastodon instance with one account, speaking the wire format of Mastodon's REST API
/// so the Mastodon plugin is tested against what a real instance answers.
///
/// - `POST /api/v1/statuses` with `Authorization: Bearer`, a JSON or form body (`status`,
///   `visibility`): 200 and the Status entity. A wrong token → 401 `{"error": "The access token is
///   invalid"}`; an empty status → 422 `Validation failed: Text can't be blank`; more than 500
///   characters as Mastodon counts them (grapheme clusters, each link 23) → 422 `Validation failed:
///   Text character limit of 500 exceeded`. `Idempotency-Key` is honoured as Mastodon does: the
///   same key within an hour answers the status it created, without a new post.
/// - `GET /api/v1/statuses/:id`: the status, or 404 `{"error": "Record not found"}`.
/// - `GET /api/v1/accounts/verify_credentials`: the account, with its `source`.
/// - `GET /api/v1/accounts/:id/statuses?limit=`: the account's statuses, newest first (limit 20
///   by default, at most 40), or 404 for another account.
///
/// The ledger's behaviours script the next status creations: 429 `{"error": "Too many requests"}`
/// with `X-RateLimit-Limit`, `-Remaining` and `-Reset` (an ISO 8601 instant with microseconds,
/// as Mastodon writes it); 503 `{"error": "There was a temporary problem serving your request,
/// please try again"}`; 401 for an expired token; or accept-then-stall. A request with a wrong
/// token is refused before it is counted.
public final class FakeMastodon: Sendable {
    /// The access token the instance accepts.
    public let token: String
    /// The account's id.
    public let accountID: String
    /// The account's username (and `acct`, being local).
    public let username = "leopost"
    /// Accepted statuses (text = the `status` as sent, author = the account id), attempts and queued behaviours.
    public let ledger = FakePlatformLedger()
    /// The visibility each status was created with, by id (the ledger does not keep it).
    private let visibilities = Mutex<[String: String]>([:])

    /// Mastodon's default limits: 500 characters, 300 statuses per account per 3 hours.
    static let characterLimit = 500
    static let statusLimit = (requests: 300, seconds: 10_800)

    /// Creates an instance with one account.
    public init(token: String = "mastodon-token", accountID: String = "109000") {
        self.token = token
        self.accountID = accountID
    }

    /// The fake's routes.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.post("/api/v1/statuses") { request, _ -> Response in
            try await self.createStatus(request)
        }
        router.get("/api/v1/statuses/:id") { request, context -> Response in
            self.status(request, id: context.parameters.get("id") ?? "")
        }
        router.get("/api/v1/accounts/verify_credentials") { request, _ -> Response in
            guard self.isAuthorized(request) else { return Self.invalidToken("The access token is invalid") }
            var account = self.account(origin: Self.origin(request))
            account["source"] =
                [
                    "privacy": "public", "sensitive": false, "language": "", "note": "", "fields": [Any](), "follow_requests_count": 0,
                ] as [String: Any]
            return Self.answer(200, account)
        }
        router.get("/api/v1/accounts/:id/statuses") { request, context -> Response in
            self.accountStatuses(request, id: context.parameters.get("id") ?? "")
        }
        return router
    }

    /// `POST /api/v1/statuses`.
    private func createStatus(_ request: Request) async throws -> Response {
        guard isAuthorized(request) else { return Self.invalidToken("The access token is invalid") }
        let behaviour = ledger.nextBehaviour()
        switch behaviour {
        case .rateLimit(let retryAfter):
            let reset = Date().addingTimeInterval(Double(retryAfter))
            return Self.answer(429, ["error": "Too many requests"], headers: Self.rateLimitHeaders(remaining: 0, reset: reset))
        case .serverError:
            return Self.answer(503, ["error": "There was a temporary problem serving your request, please try again"])
        case .expiredToken:
            return Self.invalidToken("The access token expired")
        case .acceptThenStall, nil:
            break
        }
        let body = try await request.body.collect(upTo: 1 << 20)
        let fields = Self.fields(String(buffer: body), contentType: request.headers[.contentType] ?? "")
        let origin = Self.origin(request)
        let key = request.headers[.init("Idempotency-Key")!]
        if let key, !key.isEmpty, let earlier = ledger.post(idempotencyKey: key), Date().timeIntervalSince(earlier.createdAt) < 3600 {
            return Self.answer(200, statusJSON(earlier, origin: origin), headers: rateLimitHeaders())
        }
        let text = fields["status"] ?? ""
        guard !text.allSatisfy(\.isWhitespace) else {
            return Self.answer(422, ["error": "Validation failed: Text can't be blank"])
        }
        guard Self.countedLength(text) <= Self.characterLimit else {
            return Self.answer(422, ["error": "Validation failed: Text character limit of \(Self.characterLimit) exceeded"])
        }
        let id = ledger.newID()
        visibilities.withLock { $0[id] = fields["visibility"] ?? "public" }
        let post = ledger.accept(id: id, text: text, idempotencyKey: key.flatMap { $0.isEmpty ? nil : $0 }, author: accountID)
        if case .acceptThenStall(let seconds) = behaviour {
            try await Task.sleep(for: .seconds(seconds))
        }
        return Self.answer(200, statusJSON(post, origin: origin), headers: rateLimitHeaders())
    }

    /// `GET /api/v1/statuses/:id`: public statuses need no token; a token sent must be valid.
    private func status(_ request: Request, id: String) -> Response {
        if request.headers[.authorization] != nil, !isAuthorized(request) { return Self.invalidToken("The access token is invalid") }
        guard let post = ledger.posts.first(where: { $0.id == id }), isVisible(post, to: request) else {
            return Self.answer(404, ["error": "Record not found"])
        }
        return Self.answer(200, statusJSON(post, origin: Self.origin(request)))
    }

    /// `GET /api/v1/accounts/:id/statuses`.
    private func accountStatuses(_ request: Request, id: String) -> Response {
        if request.headers[.authorization] != nil, !isAuthorized(request) { return Self.invalidToken("The access token is invalid") }
        guard id == accountID else { return Self.answer(404, ["error": "Record not found"]) }
        let asked = request.uri.queryParameters.get("limit").flatMap { Int($0) } ?? 20
        let limit = min(abs(asked), 40)
        let origin = Self.origin(request)
        let statuses = ledger.posts.reversed().filter { isVisible($0, to: request) }.prefix(limit).map { statusJSON($0, origin: origin) }
        return Self.answer(200, Array(statuses))
    }

    private func isAuthorized(_ request: Request) -> Bool {
        request.headers[.authorization] == "Bearer \(token)"
    }

    /// The visibility a status was created with.
    func visibility(of id: String) -> String {
        visibilities.withLock { $0[id] } ?? "public"
    }

    /// Private and direct statuses are seen only by their author.
    private func isVisible(_ post: FakePlatformPost, to request: Request) -> Bool {
        let shownTo = visibility(of: post.id)
        return shownTo == "public" || shownTo == "unlisted" || isAuthorized(request)
    }

    /// The `X-RateLimit-*` headers Mastodon adds to a status creation (`RateLimiter#to_headers`).
    private func rateLimitHeaders() -> [(String, String)] {
        let now = Date().timeIntervalSince1970
        let period = Double(Self.statusLimit.seconds)
        let reset = Date(timeIntervalSince1970: now + (period - now.truncatingRemainder(dividingBy: period)))
        return Self.rateLimitHeaders(remaining: max(0, Self.statusLimit.requests - ledger.posts.count), reset: reset)
    }

    private static func rateLimitHeaders(remaining: Int, reset: Date) -> [(String, String)] {
        [
            ("X-RateLimit-Limit", String(statusLimit.requests)), ("X-RateLimit-Remaining", String(remaining)),
            ("X-RateLimit-Reset", timestamp(reset, fractionDigits: 6)),
        ]
    }

    /// Doorkeeper's 401, with its `WWW-Authenticate` challenge.
    private static func invalidToken(_ description: String) -> Response {
        let challenge = #"Bearer realm="Doorkeeper", error="invalid_token", error_description="\#(description)""#
        return answer(401, ["error": description], headers: [("WWW-Authenticate", challenge)])
    }

    /// The request's fields from a JSON or `application/x-www-form-urlencoded` body.
    private static func fields(_ body: String, contentType: String) -> [String: String] {
        if contentType.lowercased().hasPrefix("application/json") {
            let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
            return object.compactMapValues { $0 as? String }
        }
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part)
            }
            guard let name = parts.first else { continue }
            fields[decode(name)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    /// `http://host:port` of the request, for the URLs in entities.
    private static func origin(_ request: Request) -> String {
        "http://\(request.head.authority ?? "127.0.0.1")"
    }

    /// A JSON answer (an object or an array) with `status` and extra headers.
    private static func answer(_ status: Int, _ json: Any, headers: [(String, String)] = []) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return FakePlatformLedger.json(.init(code: status), String(decoding: data, as: UTF8.self), headers: headers)
    }
}
