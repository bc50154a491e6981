import Foundation
public import Hummingbird
import NIOCore
import Synchronization

/// A local Discord webhook (one webhook, one channel), speaking the wire format of Discord's
/// "Execute Webhook" and "Get Webhook Message" so the Discord plugin is tested against what
/// Discord answers.
///
/// - `POST /api/v10/webhooks/{id}/{token}`: `{"content": ...}` → with `?wait=true` 200 and the
///   message object, without it 204. Empty content → 400 (50006); more than 2,000 characters →
///   400 (50035, `BASE_TYPE_MAX_LENGTH`). A wrong id → 404 Unknown Webhook (10015), a wrong token
///   → 401 Invalid Webhook Token (50027). Answers carry `X-RateLimit-*` headers.
/// - `GET /api/v10/webhooks/{id}/{token}/messages/{message_id}`: the message, or 404 Unknown
///   Message (10008).
/// - The same paths without `/v10`, which is the URL Discord hands out, answer as Discord's default
///   API version (v6) does: a rate limit's `Retry-After` and `retry_after` in **milliseconds** and
///   form errors as `{"content": ["Must be 2000 or fewer in length."]}`. ``paths`` records which
///   were used, so a test can check that the plugin pins v10.
///
/// The ledger's behaviours script the next execute: 429 with Discord's body
/// `{"message": "You are being rate limited.", "retry_after", "global": false}`, `Retry-After`
/// and the `X-RateLimit-*` headers; 503; 401 (a token revoked meanwhile); or accept-then-stall.
public final class FakeDiscord: Sendable {
    /// The webhook's id (a snowflake).
    public let webhookID: String
    /// The webhook's token: the whole credential.
    public let token: String
    /// The channel the webhook posts to.
    public let channelID = "199737254929760256"
    /// Accepted messages (text = content, author = the webhook id), attempts and queued behaviours.
    public let ledger = FakePlatformLedger()
    private let requested = Mutex<[String]>([])

    /// Discord's per-webhook limit as its headers report it: 5 requests per 2 s.
    static let rateLimit = (requests: 5, seconds: 2.0)

    /// Creates a fake webhook.
    public init(webhookID: String = "223704706495545344", token: String = "3d89bb7572e0fb30d8128367b3b1b44fecd1726de135cbe28a41f8b2f777c372") {
        self.webhookID = webhookID
        self.token = token
    }

    /// The webhook URL as Discord's "Copy Webhook URL" gives it, for the account's base URL.
    /// - Parameter origin: The fake's origin, `http://127.0.0.1:PORT`.
    public func webhookURL(origin: String) -> String {
        "\(origin)/api/webhooks/\(webhookID)/\(token)"
    }

    /// Every request path received (without the query), in order.
    public var paths: [String] { requested.withLock { $0 } }

    /// The fake's routes.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        for (prefix, legacy) in [("/api/v10/webhooks", false), ("/api/webhooks", true)] {
            router.post("\(prefix)/:id/:token") { request, context -> Response in
                try await self.execute(request, context, legacy: legacy)
            }
            router.get("\(prefix)/:id/:token/messages/:message_id") { request, context -> Response in
                self.requested.withLock { $0.append(request.uri.path) }
                if let refusal = self.refusal(context) { return refusal }
                let messageID = context.parameters.get("message_id") ?? ""
                guard let post = self.ledger.posts.first(where: { $0.id == messageID }) else {
                    return Self.answer(404, #"{"message": "Unknown Message", "code": 10008}"#)
                }
                return Self.answer(200, self.message(post), remaining: 4)
            }
        }
        return router
    }

    /// Execute Webhook.
    private func execute(_ request: Request, _ context: BasicRequestContext, legacy: Bool) async throws -> Response {
        requested.withLock { $0.append(request.uri.path) }
        if let refusal = refusal(context) { return refusal }
        let behaviour = ledger.nextBehaviour()
        switch behaviour {
        case .rateLimit(let retryAfter):
            return Self.rateLimited(retryAfter: retryAfter, legacy: legacy)
        case .serverError:
            return Self.answer(503, #"{"message": "503: Service Unavailable", "code": 0}"#)
        case .expiredToken:
            return Self.answer(401, #"{"message": "Invalid Webhook Token", "code": 50027}"#)
        case .acceptThenStall, nil:
            break
        }
        var request = request
        let body = try await request.collectBody(upTo: 8 << 20)
        guard let json = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] else {
            return Self.answer(400, #"{"message": "400: Bad Request", "code": 0}"#)
        }
        let content = json["content"] as? String ?? ""
        if content.isEmpty && json["embeds"] == nil {
            return Self.answer(400, #"{"message": "Cannot send an empty message", "code": 50006}"#)
        }
        if content.unicodeScalars.count > 2000 {
            return Self.answer(
                400,
                legacy
                    ? #"{"content": ["Must be 2000 or fewer in length."]}"#
                    : #"{"message": "Invalid Form Body", "code": 50035, "errors": {"content": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 2000 or fewer in length."}]}}}"#
            )
        }
        let post = ledger.accept(id: ledger.newID(), text: content, idempotencyKey: nil, author: webhookID)
        if case .acceptThenStall(let seconds) = behaviour {
            try await Task.sleep(for: .seconds(seconds))
        }
        guard request.uri.queryParameters.get("wait") == "true" else {
            return Response(status: .noContent)
        }
        return Self.answer(200, message(post), remaining: 4)
    }

    /// 404 for another webhook id, 401 for a wrong token, as Discord answers; `nil` when both match.
    private func refusal(_ context: BasicRequestContext) -> Response? {
        guard context.parameters.get("id") == webhookID else {
            return Self.answer(404, #"{"message": "Unknown Webhook", "code": 10015}"#)
        }
        guard context.parameters.get("token") == token else {
            return Self.answer(401, #"{"message": "Invalid Webhook Token", "code": 50027}"#)
        }
        return nil
    }

    /// Discord's 429. v10 counts in seconds: `retry_after` a fraction (the behaviour's seconds less
    /// 0.43, so a client must round up) and `Retry-After` whole seconds. The default version
    /// counted both in milliseconds.
    private static func rateLimited(retryAfter: Int, legacy: Bool) -> Response {
        let seconds = max(0.01, Double(retryAfter) - 0.43)
        let body =
            legacy
            ? #"{"message": "You are being rate limited.", "retry_after": \#(Int((seconds * 1000).rounded(.up))), "global": false}"#
            : #"{"message": "You are being rate limited.", "retry_after": \#(seconds), "global": false}"#
        let retryAfter = legacy ? String(Int((seconds * 1000).rounded(.up))) : String(Int(seconds.rounded(.up)))
        let headers = [("Retry-After", retryAfter)] + rateLimitHeaders(remaining: 0, resetAfter: seconds) + [("X-RateLimit-Scope", "user")]
        return FakePlatformLedger.json(.tooManyRequests, body, headers: headers)
    }

    /// The headers Discord sends with most answers.
    private static func rateLimitHeaders(remaining: Int, resetAfter: Double) -> [(String, String)] {
        let reset = Date().timeIntervalSince1970 + resetAfter
        return [
            ("X-RateLimit-Limit", String(rateLimit.requests)),
            ("X-RateLimit-Remaining", String(remaining)),
            ("X-RateLimit-Reset", String(format: "%.3f", reset)),
            ("X-RateLimit-Reset-After", String(format: "%.3f", resetAfter)),
            ("X-RateLimit-Bucket", "abcd1234"),
        ]
    }

    /// A JSON answer with `status`; `remaining` adds the rate-limit headers of a counted request.
    private static func answer(_ status: Int, _ body: String, remaining: Int? = nil) -> Response {
        let headers = remaining.map { rateLimitHeaders(remaining: $0, resetAfter: rateLimit.seconds) } ?? []
        return FakePlatformLedger.json(.init(code: status), body, headers: headers)
    }

    /// The message object Discord returns for a webhook message.
    private func message(_ post: FakePlatformPost) -> String {
        let timestamp = Self.timestamp(post.createdAt)
        let fields: [String: Any] = [
            "id": post.id, "type": 0, "content": post.text, "channel_id": channelID,
            "author": ["bot": true, "id": webhookID, "username": "Leopost", "avatar": NSNull(), "discriminator": "0000"],
            "attachments": [Any](), "embeds": [Any](), "mentions": [Any](), "mention_roles": [Any](), "components": [Any](),
            "pinned": false, "mention_everyone": false, "tts": false, "timestamp": timestamp, "edited_timestamp": NSNull(),
            "flags": 0, "webhook_id": webhookID,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Discord's ISO 8601 form with microseconds and an offset: `2024-05-01T12:00:00.123000+00:00`.
    private static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let text = formatter.string(from: date)  // 2024-05-01T12:00:00.123Z
        return text.hasSuffix("Z") ? String(text.dropLast()) + "000+00:00" : text
    }
}
