import Foundation
public import Hummingbird
import NIOCore

/// A local X API v2 with one user, speaking X's wire format so the X plugin is tested against
/// what X answers: problem+json errors (`{"title", "detail", "type", "status"}`), `x-rate-limit-*`
/// headers with Unix-second resets, tweet text given back with links as t.co and `&<>` escaped.
///
/// - `POST /2/tweets` with `Authorization: Bearer` and a JSON body `{"text"}`: 201
///   `{"data": {"id", "text", "edit_history_tweet_ids"}}`. A wrong token → 401 Unauthorized; a
///   body that is not `application/json` → 400 Invalid Request; more than 280 weighted characters
///   (twitter-text v3) → 400 "Your Tweet text is too long..."; the text of an earlier tweet →
///   403 "You are not allowed to create a Tweet with duplicate content.".
/// - `GET /2/tweets/:id`: `{"data": ...}`, or 200 with `{"errors": [Not Found Error]}` as X does.
/// - `GET /2/users/me`: `{"data": {"id", "name", "username"}}`.
/// - `GET /2/users/:id/tweets?max_results=&tweet.fields=`: newest first (5 to 100, 10 by default),
///   `{"data": [...], "meta": {"result_count", "newest_id", "oldest_id"}}` or `{"meta":
///   {"result_count": 0}}`; another user's id → 200 with a Not Found Error.
///
/// The ledger's behaviours script the next `POST /2/tweets`: 429 Too Many Requests with
/// `x-rate-limit-reset` = now + the wait; 503 Service Unavailable; 401 Unauthorized (an expired
/// token); or accept-then-stall. A request with a wrong token is refused before it is counted.
public final class FakeX: Sendable {
    /// The OAuth 2.0 user token X accepts.
    public let token: String
    /// The user's id.
    public let userID: String
    /// The user's handle.
    public let username = "leopost"
    /// Accepted tweets (text = the text as sent, author = the user id), attempts and queued behaviours.
    public let ledger = FakePlatformLedger()

    /// `POST /2/tweets` per user, as X documents it: 100 requests per 15 minutes.
    static let postLimit = (requests: 100, seconds: 900)

    /// Creates an X with one user.
    public init(token: String = "x-user-token", userID: String = "2244994945") {
        self.token = token
        self.userID = userID
    }

    /// The fake's routes.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.post("/2/tweets") { request, _ -> Response in
            try await self.createTweet(request)
        }
        router.get("/2/tweets/:id") { request, context -> Response in
            guard self.isAuthorized(request) else { return Self.unauthorized() }
            let id = context.parameters.get("id") ?? ""
            guard let post = self.ledger.posts.first(where: { $0.id == id }) else {
                return Self.answer(200, ["errors": [Self.notFound("tweet", id: id)]])
            }
            return Self.answer(200, ["data": self.tweetJSON(post, fields: Self.tweetFields(request))])
        }
        router.get("/2/users/me") { request, _ -> Response in
            guard self.isAuthorized(request) else { return Self.unauthorized() }
            return Self.answer(200, ["data": ["id": self.userID, "name": "Leopost", "username": self.username]])
        }
        router.get("/2/users/:id/tweets") { request, context -> Response in
            self.timeline(request, id: context.parameters.get("id") ?? "")
        }
        return router
    }

    /// `POST /2/tweets`.
    private func createTweet(_ request: Request) async throws -> Response {
        guard isAuthorized(request) else { return Self.unauthorized() }
        let behaviour = ledger.nextBehaviour()
        switch behaviour {
        case .rateLimit(let retryAfter):
            let reset = Int((Date().timeIntervalSince1970 + Double(retryAfter)).rounded(.up))
            return Self.answer(
                429, ["title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429],
                headers: Self.rateLimitHeaders(remaining: 0, reset: reset))
        case .serverError:
            return Self.answer(503, ["title": "Service Unavailable", "detail": "Service Unavailable", "type": "about:blank", "status": 503])
        case .expiredToken:
            return Self.unauthorized()
        case .acceptThenStall, nil:
            break
        }
        guard (request.headers[.contentType] ?? "").lowercased().hasPrefix("application/json") else {
            return Self.invalidRequest("Requests with bodies must have content-type of application/json.")
        }
        let body = try await request.body.collect(upTo: 1 << 20)
        guard let json = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] else {
            return Self.invalidRequest("Request body is not valid JSON.")
        }
        let text = json["text"] as? String ?? ""
        guard !text.allSatisfy(\.isWhitespace) || json["media"] != nil else {
            return Self.invalidRequest("Tweet text is empty.")
        }
        guard Self.weightedLength(text) <= 280 else {
            return Self.invalidRequest(
                "Your Tweet text is too long. For more information on how Twitter determines text length see https://github.com/twitter/twitter-text."
            )
        }
        guard !ledger.posts.contains(where: { $0.text == text }) else {
            return Self.answer(
                403,
                [
                    "detail": "You are not allowed to create a Tweet with duplicate content.", "type": "about:blank", "title": "Forbidden",
                    "status": 403,
                ],
                headers: rateLimitHeaders())
        }
        let post = ledger.accept(id: ledger.newID(), text: text, idempotencyKey: nil, author: userID)
        if case .acceptThenStall(let seconds) = behaviour {
            try await Task.sleep(for: .seconds(seconds))
        }
        return Self.answer(201, ["data": tweetJSON(post, fields: [])], headers: rateLimitHeaders())
    }

    /// `GET /2/users/:id/tweets`.
    private func timeline(_ request: Request, id: String) -> Response {
        guard isAuthorized(request) else { return Self.unauthorized() }
        let asked = request.uri.queryParameters.get("max_results")
        let count = asked.flatMap { Int($0) } ?? 10
        guard (5...100).contains(count) else {
            let value = asked ?? ""
            return Self.answer(
                400,
                [
                    "errors": [
                        [
                            "parameters": ["max_results": [value]],
                            "message": "The `max_results` query parameter value [\(value)] is not between 5 and 100",
                        ] as [String: Any]
                    ],
                    "title": "Invalid Request", "detail": "One or more parameters to your request was invalid.",
                    "type": "https://api.twitter.com/2/problems/invalid-request",
                ])
        }
        guard id == userID else { return Self.answer(200, ["errors": [Self.notFound("user", id: id)]]) }
        let fields = Self.tweetFields(request)
        let tweets = ledger.posts.reversed().prefix(count).map { tweetJSON($0, fields: fields) }
        guard let newest = tweets.first?["id"], let oldest = tweets.last?["id"] else {
            return Self.answer(200, ["meta": ["result_count": 0]])
        }
        let meta: [String: Any] = ["result_count": tweets.count, "newest_id": newest, "oldest_id": oldest]
        return Self.answer(200, ["data": tweets, "meta": meta])
    }

    private func isAuthorized(_ request: Request) -> Bool {
        request.headers[.authorization] == "Bearer \(token)"
    }

    /// The `x-rate-limit-*` headers of a counted `POST /2/tweets`, on a 15-minute window.
    private func rateLimitHeaders() -> [(String, String)] {
        let reset = Int(Date().timeIntervalSince1970) + Self.postLimit.seconds
        return Self.rateLimitHeaders(remaining: max(0, Self.postLimit.requests - ledger.attempts), reset: reset)
    }

    private static func rateLimitHeaders(remaining: Int, reset: Int) -> [(String, String)] {
        [("x-rate-limit-limit", String(postLimit.requests)), ("x-rate-limit-remaining", String(remaining)), ("x-rate-limit-reset", String(reset))]
    }

    /// The fields asked with `tweet.fields=a,b`.
    private static func tweetFields(_ request: Request) -> Set<String> {
        Set((request.uri.queryParameters.get("tweet.fields") ?? "").split(separator: ",").map { String($0) })
    }

    private static func unauthorized() -> Response {
        answer(401, ["title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"])
    }

    private static func invalidRequest(_ message: String) -> Response {
        answer(
            400,
            [
                "errors": [["parameters": [String: Any](), "message": message] as [String: Any]],
                "title": "Invalid Request", "detail": "One or more parameters to your request was invalid.",
                "type": "https://api.twitter.com/2/problems/invalid-request",
            ])
    }

    /// A partial error for a missing tweet or user, as X puts it in a 200 answer.
    private static func notFound(_ resource: String, id: String) -> [String: Any] {
        [
            "value": id, "detail": "Could not find \(resource) with id: [\(id)].", "title": "Not Found Error",
            "resource_type": resource, "parameter": "id", "resource_id": id,
            "type": "https://api.twitter.com/2/problems/resource-not-found",
        ]
    }

    /// A JSON answer with `status` and extra headers.
    private static func answer(_ status: Int, _ json: [String: Any], headers: [(String, String)] = []) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])) ?? Data("{}".utf8)
        return FakePlatformLedger.json(.init(code: status), String(decoding: data, as: UTF8.self), headers: headers)
    }
}
