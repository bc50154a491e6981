import Foundation
import LeopostPluginKit

/// Publishes a post to a tenant's own HTTPS endpoint, so a business can feed its posts into a
/// system Leopost has no plugin for (a CMS, Zapier, a chat bot) without a plugin of its own.
///
/// The account's `base_url` is the receiver's URL; each publish is one signed `POST` of
///
/// ```json
/// {"id": "<idempotency key>", "type": "post.published", "text": "...",
///  "media": [{"kind": "image", "url": "..."}], "created_at": "2025-01-01T12:00:00Z"}
/// ```
///
/// with `Idempotency-Key`, `X-Leopost-Timestamp` (Unix seconds) and `X-Leopost-Signature:
/// sha256=<hex>`, the HMAC-SHA256 of `"<timestamp>.<body>"` under the account's
/// `signing_secret` setting (or its access token). Signing the timestamp with the body lets a
/// receiver refuse replays of an old delivery; the key lets it drop the repeats Leopost sends
/// after a lost answer, which is why the manifest declares `idempotent_publish`.
struct WebhookPlatform: PlatformPlugin {
    /// The name accounts and policies refer to.
    static let name = "webhook"
    /// This plugin's version, for `leopost plugins list`.
    static let version = "1.0.0"
    /// No fixed host: each account names its own receiver (`account_base_url`), and the host lets
    /// the plugin call only that URL's origin.
    static let manifest = """
        {"platform": "Webhook", "api_version": "1",
         "text": {"limit": 100000, "counting": "characters"},
         "media": ["image", "video"], "hosts": [], "account_base_url": true,
         "rate_limits": {"per_account": {"requests": 60, "seconds": 60}},
         "idempotent_publish": true}
        """

    /// The platform's name in messages.
    static let platform = "Webhook"

    /// Makes the plugin; it holds nothing, so one value serves every thread.
    init() {}

    /// Sends the signed delivery; a 2xx answer is a publish.
    func publish(_ request: PublishRequest, host: PluginHost) -> PluginOutcome {
        guard !request.baseURL.isEmpty else {
            // The host sends "" when the account names no URL; nothing can be sent until a person adds one.
            return .disconnected("the webhook account has no URL: connect it again with the receiver's URL as its base_url")
        }
        let secret = request.account.settings["signing_secret"] ?? request.account.accessToken
        guard !secret.isEmpty else {
            // An unsigned delivery could be forged by anyone who learns the URL; refuse to send one.
            return .disconnected("the webhook account has no signing secret: set its signing_secret (or access token) and reconnect it")
        }
        let now = host.now
        let delivery = Delivery(
            id: request.idempotencyKey, type: "post.published", text: request.text,
            media: request.media.map { Delivery.Media(kind: $0.kind, url: $0.url) },
            createdAt: now.formatted(Date.ISO8601FormatStyle())
        )
        let body: Data
        do { body = try Self.encoder.encode(delivery) } catch {
            return .badRequest("the post could not be encoded as JSON: \(error)")
        }
        let timestamp = String(Int64(now.timeIntervalSince1970.rounded(.down)))
        let signature = host.hmacSHA256(key: Data(secret.utf8), data: Data("\(timestamp).".utf8) + body)
        let response = host.http(
            "POST", request.baseURL,
            headers: [
                ("Content-Type", "application/json"),
                ("Idempotency-Key", request.idempotencyKey),
                ("X-Leopost-Timestamp", timestamp),
                ("X-Leopost-Signature", "sha256=" + Self.hex(signature)),
            ],
            body: body
        )
        guard response.transport == .answered, (200..<300).contains(response.status) else {
            // The receiver dedupes on Idempotency-Key, so a lost answer or a 5xx may be retried.
            return .failure(of: response, platform: Self.platform, idempotent: true, now: now)
        }
        let remoteID = response.json(Receipt.self)?.id ?? request.idempotencyKey
        return .ok(PublishAnswer(remoteID: remoteID))
    }

    /// A webhook cannot be asked what it received, so without a remote id the answer is
    /// "not found". That is safe only because publishing is idempotent: the repeat carries the
    /// same `Idempotency-Key`, and a receiver that got the first one answers it without posting again.
    func checkStatus(_ request: StatusRequest, host: PluginHost) -> PluginOutcome {
        if let remoteID = request.remoteID, !remoteID.isEmpty {
            // Only a 2xx answer gives a remote id, so this delivery is known to have arrived.
            return .ok(StatusAnswer.published(remoteID: remoteID))
        }
        return .ok(StatusAnswer.notFound)
    }

    /// Sorted keys and unescaped slashes: a stable field order, and URLs readable in a receiver's log.
    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    private static func hex(_ bytes: Data) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// The JSON body of a delivery.
private struct Delivery: Encodable {
    struct Media: Encodable {
        let kind: String
        let url: String
    }

    let id: String
    let type: String
    let text: String
    let media: [Media]
    let createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, type, text, media
        case createdAt = "created_at"
    }
}

/// The receiver's answer: `{"id": ...}` names its record of the delivery; anything else is ignored.
private struct Receipt: Decodable {
    let id: String?

    enum CodingKeys: String, CodingKey { case id }

    /// A string or a number id; a missing, null or odd one is no id.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let text = try? container.decodeIfPresent(String.self, forKey: .id), !text.isEmpty {
            id = text
        } else if let number = try? container.decodeIfPresent(Int64.self, forKey: .id) {
            id = String(number)
        } else {
            id = nil
        }
    }
}
