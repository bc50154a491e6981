import Foundation
public import LeopostCore

/// Sending text through the WhatsApp Cloud API (`POST /{phone-number-id}/messages`), with Meta's
/// error codes mapped to `ChannelError`: throughput and pair rate limits are waited out (Meta sends
/// no `Retry-After`, so the waits are Meta's own guidance), 131047 (outside the 24-hour window) is a
/// refusal explained in words, an expired token is `unauthorized`.
public struct WhatsAppCloudAPI: Sendable {
    /// The Graph API with a pinned version; `WHATSAPP_API_BASE_URL` points tests at a local fake.
    public static let defaultBaseURL = "https://graph.facebook.com/v21.0"

    private let http: HTTPClient
    private let baseURL: String
    private let accessToken: String

    /// Creates a client for one business phone number's token.
    public init(http: HTTPClient, baseURL: String = WhatsAppCloudAPI.defaultBaseURL, accessToken: String) {
        self.http = http
        self.baseURL = baseURL
        self.accessToken = accessToken
    }

    /// Sends `body` as a text message to `to` from `phoneNumberID`; returns the message's `wamid`.
    public func sendText(_ body: String, to: String, from phoneNumberID: String) async throws -> String {
        try await send(
            [
                "messaging_product": "whatsapp", "recipient_type": "individual", "to": to, "type": "text",
                "text": ["preview_url": false, "body": body],
            ],
            from: phoneNumberID)
    }

    /// Sends an approved template `name` in `language` (`en_US`) whose body has one parameter,
    /// `text` (at most 1,024 characters): the one kind of message WhatsApp delivers outside the
    /// 24-hour window. Returns its `wamid`.
    public func sendTemplate(_ name: String, language: String, text: String, to: String, from phoneNumberID: String) async throws -> String {
        let parameter = text.count > 1_024 ? String(text.prefix(1_021)) + "…" : text
        return try await send(
            [
                "messaging_product": "whatsapp", "recipient_type": "individual", "to": to, "type": "template",
                "template": [
                    "name": name, "language": ["code": language],
                    "components": [["type": "body", "parameters": [["type": "text", "text": parameter]]]],
                ] as [String: Any],
            ],
            from: phoneNumberID)
    }

    /// Sends `body` with up to three reply buttons (id and title, titles at most 20 characters),
    /// an interactive message; returns its `wamid`. A press comes back as a `button_reply` with the id.
    public func sendButtons(_ body: String, buttons: [(id: String, title: String)], to: String, from phoneNumberID: String) async throws -> String {
        let action = ["buttons": buttons.prefix(3).map { ["type": "reply", "reply": ["id": $0.id, "title": String($0.title.prefix(20))]] }]
        return try await send(
            [
                "messaging_product": "whatsapp", "recipient_type": "individual", "to": to, "type": "interactive",
                "interactive": ["type": "button", "body": ["text": String(body.prefix(1024))], "action": action] as [String: Any],
            ],
            from: phoneNumberID)
    }

    /// The bytes of the media with `id` that a person sent: `GET /{media-id}` for its short-lived
    /// URL and size, then the file itself with the same token, stopped at `maxBytes`.
    public func media(_ id: String, maxBytes: Int) async throws -> [UInt8] {
        let head = try await get("\(baseURL)/\(id)", maxBytes: 64 * 1024)
        let object = (try? JSONSerialization.jsonObject(with: Data(head))) as? [String: Any]
        guard let url = object?["url"] as? String, !url.isEmpty else {
            throw ChannelError(code: .rejected, message: "WhatsApp: no download URL for media \(id)")
        }
        // Meta sends the size as a string ("303833"); a number is read too.
        let size = (object?["file_size"] as? String).flatMap(Int.init) ?? (object?["file_size"] as? NSNumber)?.intValue
        if let size, size > maxBytes { throw MediaLimits.tooLarge(size, limit: maxBytes) }
        return try await get(url, maxBytes: maxBytes)
    }

    /// A GET with the access token; a body over `maxBytes` is refused as it arrives.
    private func get(_ url: String, maxBytes: Int) async throws -> [UInt8] {
        var request = HTTPClientRequest(url: url, headers: ["Authorization": "Bearer \(accessToken)"])
        request.maxBodySize = maxBytes
        let response: HTTPClientResponse
        do { response = try await http.execute(request) } catch let error as HTTPClientError {
            if error.code == .bodyTooLarge { throw MediaLimits.tooLarge(nil, limit: maxBytes) }
            throw ChannelError(code: .unavailable, message: "WhatsApp: \(error.shortDescription)")
        }
        guard response.status == 200 else {
            throw Self.error(status: response.status, body: (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any])
        }
        return response.body
    }

    private func send(_ payload: [String: Any], from phoneNumberID: String) async throws -> String {
        let response: HTTPClientResponse
        do {
            response = try await http.execute(
                HTTPClientRequest(
                    method: "POST", url: "\(baseURL)/\(phoneNumberID)/messages",
                    headers: ["Authorization": "Bearer \(accessToken)", "Content-Type": "application/json"],
                    body: Array(try JSONSerialization.data(withJSONObject: payload))
                )
            )
        } catch let error as HTTPClientError {
            throw ChannelError.transport(error, message: "WhatsApp: \(error.shortDescription)")
        }
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        if response.status == 200, let id = ((object?["messages"] as? [[String: Any]])?.first)?["id"] as? String { return id }
        throw Self.error(status: response.status, body: object)
    }

    /// Meta's error answer as a `ChannelError`.
    static func error(status: Int, body: [String: Any]?) -> ChannelError {
        let error = body?["error"] as? [String: Any]
        let code = error?["code"] as? Int ?? 0
        let details = ((error?["error_data"] as? [String: Any])?["details"] as? String) ?? error?["message"] as? String ?? "HTTP \(status)"
        let message = "WhatsApp error \(code): \(details)"
        switch code {
        case 130429: return ChannelError(code: .rateLimited, message: message, retryAfter: .seconds(1))
        case 131056: return ChannelError(code: .rateLimited, message: message, retryAfter: .seconds(6))
        case 4, 80007: return ChannelError(code: .rateLimited, message: message, retryAfter: .seconds(60))
        case 131047: return ChannelError(code: .windowClosed, message: windowExplanation)
        case 190,
            0 where status == 401:
            return ChannelError(code: .unauthorized, message: message)
        case 131000, 131016: return ChannelError(code: .unavailable, message: message)
        default: return ChannelError(code: status >= 500 ? .unavailable : .rejected, message: message)
        }
    }

    /// Why a free-form message could not go out after 24 hours.
    static let windowExplanation =
        "WhatsApp error 131047: more than 24 hours have passed since the person last wrote, and WhatsApp only allows approved templates then; "
        + "the answer waits in the web chat until they write again"
}
