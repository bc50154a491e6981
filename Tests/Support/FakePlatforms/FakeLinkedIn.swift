import Foundation
public import Hummingbird
import NIOCore
import Synchronization

/// A local LinkedIn Posts API (`/rest/posts`), speaking its wire format so the LinkedIn plugin is
/// tested against what LinkedIn really answers, not against its own assumptions.
///
/// - `POST /rest/posts`: needs `Authorization: Bearer`, `LinkedIn-Version` (missing → 400
///   VERSION_MISSING; older than ``oldestActiveVersion`` → 426 NONEXISTENT_VERSION) and
///   `X-Restli-Protocol-Version: 2.0.0`; the author must be the fake's; the commentary is read
///   as little text. Success is 201 with an empty body and the URN in `x-restli-id`.
/// - `GET /rest/posts/{urn}` (the URN percent-encoded) and `GET /rest/posts?q=author&author=…`
///   (`{"elements": [...], "paging": {...}}`, most recently modified first): what the plugin
///   reconciles an unknown outcome with.
///
/// The ledger's behaviours script the next publish: a 429 (LinkedIn sends no `Retry-After`, so the
/// behaviour's delay is not transmitted), a 500, a 401, or accept-then-stall.
public final class FakeLinkedIn: Sendable {
    /// The only token the fake accepts.
    public let token: String
    /// The only author it lets post (an organization or person URN).
    public let author: String
    /// Accepted posts, publish attempts and queued behaviours.
    public let ledger = FakePlatformLedger()
    /// The commentary of each accepted post as it was sent (little text), by URN: what a read answers.
    private let commentaries = Mutex<[String: String]>([:])

    /// The oldest `LinkedIn-Version` the fake serves. LinkedIn keeps a version about a year; a
    /// fake cannot know the date, so it serves this one and every later one.
    public static let oldestActiveVersion = "202411"

    /// Creates a fake that accepts `token` and posts as `author`.
    public init(token: String = "linkedin-token", author: String = "urn:li:organization:5515715") {
        self.token = token
        self.author = author
    }

    /// The fake's routes.
    private let acceptDelay = Mutex<Duration?>(nil)

    /// Makes each publish take `delay` before the post exists and is answered (`nil`: at once), as
    /// a slow platform does: asked meanwhile, it has no such post yet.
    public func delayAccepts(_ delay: Duration?) {
        acceptDelay.withLock { $0 = delay }
    }

    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.post("/rest/posts") { request, _ -> Response in
            if let refusal = self.refusal(request, requireProtocol: true) { return refusal }
            let behaviour = self.ledger.nextBehaviour()
            switch behaviour {
            case .rateLimit?:
                return Self.error(
                    429, code: "TOO_MANY_REQUESTS", serviceErrorCode: 101,
                    "Resource level throttle limit for calls to this resource is reached.")
            case .serverError?:
                return Self.error(500, code: "INTERNAL_SERVER_ERROR", serviceErrorCode: nil, "Internal Server Error")
            case .expiredToken?:
                return Self.error(401, code: "EXPIRED_ACCESS_TOKEN", serviceErrorCode: 65601, "The token used in the request has expired")
            case .acceptThenStall?, nil:
                break
            }
            let body = try await request.body.collect(upTo: 1 << 20)
            guard let json = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] else {
                return Self.error(400, code: "INVALID_JSON", serviceErrorCode: nil, "Request body is not valid JSON")
            }
            if let missing = ["author", "commentary", "visibility", "distribution", "lifecycleState"].first(where: { json[$0] == nil }) {
                return Self.error(400, code: "MISSING_FIELD", serviceErrorCode: 100, "/\(missing) is required but missing")
            }
            guard json["author"] as? String == self.author else {
                return Self.error(
                    403, code: "ACCESS_DENIED", serviceErrorCode: 100,
                    "Unpermitted fields present in REQUEST_BODY: Data Processing Exception while processing fields [/author]")
            }
            let commentary = json["commentary"] as? String ?? ""
            let text = Self.visibleText(commentary)
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                return Self.error(400, code: "INVALID_VALUE_BLANK_FIELD", serviceErrorCode: 100, "/commentary can't be blank")
            }
            guard text.count <= 3000 else {
                return Self.error(
                    400, code: "FIELD_LENGTH_TOO_LONG", serviceErrorCode: 100,
                    "/commentary length \(text.count) can't exceeded maximum 3000 length")
            }
            // A slow platform: the post exists only once the delay is over.
            if let delay = self.acceptDelay.withLock({ $0 }) { try await Task.sleep(for: delay) }
            let urn = "urn:li:share:\(self.ledger.newID())"
            self.commentaries.withLock { $0[urn] = commentary }
            self.ledger.accept(id: urn, text: text, idempotencyKey: nil, author: self.author)
            if case .acceptThenStall(let seconds)? = behaviour {
                try await Task.sleep(for: .seconds(seconds))
            }
            return FakePlatformLedger.json(.created, "", headers: [("x-restli-id", urn)])
        }
        router.get("/rest/posts/:urn") { request, context -> Response in
            if let refusal = self.refusal(request, requireProtocol: false) { return refusal }
            let raw = context.parameters.get("urn") ?? ""
            let urn = raw.removingPercentEncoding ?? raw
            guard let post = self.ledger.posts.first(where: { $0.id == urn }) else {
                return Self.error(404, code: "NOT_FOUND", serviceErrorCode: 0, "Could not find entity")
            }
            return FakePlatformLedger.json(.ok, self.element(post))
        }
        router.get("/rest/posts") { request, _ -> Response in
            if let refusal = self.refusal(request, requireProtocol: false) { return refusal }
            let query = request.uri.queryParameters
            guard query.get("q") == "author", let wanted = query.get("author") else {
                return Self.error(400, code: "QUERY_PARAM_NOT_ALLOWED", serviceErrorCode: 100, "q=author with an author is required")
            }
            let count = max(1, min(query.get("count").flatMap { Int($0) } ?? 10, 100))
            let posts = self.ledger.posts.filter { $0.author == wanted }.reversed().prefix(count)
            let elements = posts.map { self.element($0) }.joined(separator: ",")
            return FakePlatformLedger.json(
                .ok, #"{"elements":[\#(elements)],"paging":{"start":0,"count":\#(count),"links":[],"total":\#(posts.count)}}"#)
        }
        return router
    }

    /// The answer to a request LinkedIn would refuse before looking at it: bad token, no or a
    /// retired version, no Rest.li protocol header; `nil` when it passes.
    private func refusal(_ request: Request, requireProtocol: Bool) -> Response? {
        guard request.headers[.authorization] == "Bearer \(token)" else {
            return Self.error(401, code: "INVALID_ACCESS_TOKEN", serviceErrorCode: 65600, "Invalid access token")
        }
        guard let version = Self.header(request, "linkedin-version"), !version.isEmpty else {
            return Self.error(
                400, code: "VERSION_MISSING", serviceErrorCode: nil,
                "A version must be present. Please specify a version by adding the LinkedIn-Version header.")
        }
        guard Self.isActive(version) else {
            // LinkedIn names the version as a date: "202301" → "Requested version 20230101 is not active".
            let named = version.count == 6 ? version + "01" : version
            return Self.error(426, code: "NONEXISTENT_VERSION", serviceErrorCode: nil, "Requested version \(named) is not active")
        }
        // LinkedIn documents the header as required on every call and does not say how it refuses
        // its absence; the fake insists, so a plugin that forgets it fails here and not in production.
        if requireProtocol, Self.header(request, "x-restli-protocol-version") != "2.0.0" {
            return Self.error(400, code: "INVALID_PROTOCOL_VERSION", serviceErrorCode: nil, "X-Restli-Protocol-Version must be 2.0.0")
        }
        return nil
    }

    /// A version is YYYYMM or YYYYMM.RR, no older than ``oldestActiveVersion``.
    private static func isActive(_ version: String) -> Bool {
        let month = version.split(separator: ".", maxSplits: 1).first.map(String.init) ?? ""
        guard month.count == 6, month.allSatisfy(\.isASCII), month.allSatisfy(\.isNumber) else { return false }
        return month >= oldestActiveVersion
    }

    /// A post as the Posts API returns it.
    private func element(_ post: FakePlatformPost) -> String {
        let commentary = commentaries.withLock { $0[post.id] } ?? post.text
        let created = Int64(post.createdAt.timeIntervalSince1970 * 1000)
        let fields: [String: Any] = [
            "id": post.id, "author": post.author, "commentary": commentary,
            "createdAt": created, "lastModifiedAt": created, "publishedAt": created,
            "lifecycleState": "PUBLISHED", "visibility": "PUBLIC", "isReshareDisabledByAuthor": false,
            "lifecycleStateInfo": ["isEditedByAuthor": false],
            "distribution": ["feedDistribution": "MAIN_FEED", "targetEntities": [Any](), "thirdPartyDistributionChannels": [Any]()],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// What a member sees of `commentary`: escapes resolved, `#word` hashtags kept, and the text cut
    /// at the first other unescaped reserved character, as LinkedIn was observed to publish "a
    /// draft containing (source) only up to the open parenthesis".
    static func visibleText(_ commentary: String) -> String {
        let reserved: Set<Unicode.Scalar> = ["|", "{", "}", "@", "[", "]", "(", ")", "<", ">", "#", "\\", "*", "_", "~"]
        let scalars = Array(commentary.unicodeScalars)
        var visible = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\\", index + 1 < scalars.count, reserved.contains(scalars[index + 1]) {
                visible.append(scalars[index + 1])
                index += 2
                continue
            }
            if scalar == "#", index + 1 < scalars.count, isWord(scalars[index + 1]) {
                visible.append(scalar)
                index += 1
                continue
            }
            if reserved.contains(scalar) { break }
            visible.append(scalar)
            index += 1
        }
        return String(visible)
    }

    /// A letter or digit: what may follow "#" in a hashtag element.
    private static func isWord(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    /// The value of header `name` (lower case), if sent.
    private static func header(_ request: Request, _ name: String) -> String? {
        request.headers.first { $0.name.canonicalName == name }?.value
    }

    /// LinkedIn's error body, `{"status", "serviceErrorCode", "code", "message"}`, with that status.
    private static func error(_ status: Int, code: String, serviceErrorCode: Int?, _ message: String) -> Response {
        var fields: [String: Any] = ["status": status, "code": code, "message": message]
        if let serviceErrorCode { fields["serviceErrorCode"] = serviceErrorCode }
        let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data("{}".utf8)
        return FakePlatformLedger.json(.init(code: status), String(decoding: data, as: UTF8.self))
    }
}
