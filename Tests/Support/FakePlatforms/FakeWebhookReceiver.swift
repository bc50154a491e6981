import Foundation
public import Hummingbird
import LeopostCore
import NIOCore
import Synchronization

/// A tenant's webhook endpoint as the webhook plugin expects one to behave: it checks the
/// signature, drops repeats by `Idempotency-Key`, and names its record of each delivery.
///
/// `POST /hook` takes `{"id", "type": "post.published", "text", "media", "created_at"}` with
/// `Idempotency-Key`, `X-Leopost-Timestamp` and `X-Leopost-Signature: sha256=<hex>` (HMAC-SHA256
/// of `"<timestamp>.<body>"` under ``secret``, compared in constant time). A wrong or missing
/// signature is 401 before anything else, so it neither counts as an attempt nor uses up a queued
/// behaviour. A key seen before answers 200 with the first delivery's id and posts nothing: that
/// is what makes the plugin's retries after a lost answer safe. Otherwise 200 `{"id": "..."}`.
///
/// The ledger's behaviours script the next signed delivery: 429 with `Retry-After`, 503, 401, or
/// accept-then-stall (recorded, then answered late).
public final class FakeWebhookReceiver: Sendable {
    /// The shared signing secret (the account's `signing_secret`).
    public let secret: String
    /// Accepted deliveries, attempts and queued behaviours.
    public let ledger = FakePlatformLedger()
    /// The id given to each idempotency key, claimed atomically so two concurrent repeats of one
    /// delivery cannot both be posted.
    private let idsByKey = Mutex<[String: String]>([:])

    /// Creates a receiver that accepts deliveries signed with `secret`.
    public init(secret: String) {
        self.secret = secret
    }

    /// The fake's route: `POST /hook`.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.post("/hook") { request, _ -> Response in
            var request = request
            let body = Array(try await request.collectBody(upTo: 4 << 20).readableBytesView)
            guard
                let timestamp = Self.header(request, "x-leopost-timestamp"),
                Self.signatureMatches(Self.header(request, "x-leopost-signature"), timestamp: timestamp, body: body, secret: self.secret)
            else {
                return Self.error(401, "invalid signature")
            }
            let behaviour = self.ledger.nextBehaviour()
            switch behaviour {
            case .rateLimit(let retryAfter):
                return FakePlatformLedger.json(.tooManyRequests, #"{"error":"rate limited"}"#, headers: [("Retry-After", "\(retryAfter)")])
            case .serverError:
                return Self.error(503, "unavailable")
            case .expiredToken:
                return Self.error(401, "invalid signature")
            case .acceptThenStall, nil:
                break
            }
            guard let key = Self.header(request, "idempotency-key"), !key.isEmpty else {
                return Self.error(400, "Idempotency-Key is required")
            }
            guard let delivery = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any],
                delivery["type"] as? String == "post.published", let text = delivery["text"] as? String,
                delivery["id"] as? String == key, delivery["created_at"] is String, delivery["media"] is [Any]
            else {
                return Self.error(400, "expected {\"id\": <Idempotency-Key>, \"type\": \"post.published\", \"text\", \"media\", \"created_at\"}")
            }
            let fresh = self.ledger.newID()
            let (id, isNew) = self.idsByKey.withLock { ids -> (String, Bool) in
                if let earlier = ids[key] { return (earlier, false) }
                ids[key] = fresh
                return (fresh, true)
            }
            if isNew {
                self.ledger.accept(id: id, text: text, idempotencyKey: key, author: "webhook")
                if case .acceptThenStall(let seconds) = behaviour {
                    try await Task.sleep(for: .seconds(seconds))
                }
            }
            return FakePlatformLedger.json(.ok, #"{"id":"\#(id)"}"#)
        }
        return router
    }

    /// `sha256=<hex>` equal, in constant time, to the HMAC-SHA256 of `"<timestamp>.<body>"` under `secret`.
    static func signatureMatches(_ header: String?, timestamp: String, body: [UInt8], secret: String) -> Bool {
        guard let header, header.hasPrefix("sha256="), let mac = Hex.decode(String(header.dropFirst("sha256=".count))) else {
            return false
        }
        return HMACSHA256.isValidAuthenticationCode(mac, for: Array("\(timestamp).".utf8) + body, key: Array(secret.utf8))
    }

    /// The value of header `name` (lower case), if sent.
    private static func header(_ request: Request, _ name: String) -> String? {
        request.headers.first { $0.name.canonicalName == name }?.value
    }

    /// `{"error": message}` with `status`.
    private static func error(_ status: Int, _ message: String) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: ["error": message])) ?? Data("{}".utf8)
        return FakePlatformLedger.json(.init(code: status), String(decoding: data, as: UTF8.self))
    }
}
