import Foundation
public import LeopostCore

/// The few Bot API methods Leopost calls, over the Core HTTP client, with Telegram's answers
/// mapped to `ChannelError`: 429 with `parameters.retry_after` is a rate limit to wait out, 403
/// (the person blocked the bot) and most 400s are refusals no retry fixes, 401 is a revoked token,
/// 5xx and network failures are worth retrying.
public struct TelegramBotAPI: Sendable {
    /// Where the Bot API is; `TELEGRAM_API_BASE_URL` points tests at a local fake.
    public static let defaultBaseURL = "https://api.telegram.org"

    private let http: HTTPClient
    private let baseURL: String
    private let token: String

    /// Creates a client for the bot with `token`.
    public init(http: HTTPClient, baseURL: String = TelegramBotAPI.defaultBaseURL, token: String) {
        self.http = http
        self.baseURL = baseURL
        self.token = token
    }

    /// `sendMessage` with HTML, and optionally inline buttons (text and `callback_data`, one row);
    /// returns the sent message's id.
    public func sendMessage(chatID: String, html: String, buttons: [(text: String, data: String)] = []) async throws -> Int64 {
        var parameters: [String: Any] = ["chat_id": chatID, "text": html, "parse_mode": "HTML", "link_preview_options": ["is_disabled": true]]
        if !buttons.isEmpty {
            parameters["reply_markup"] = ["inline_keyboard": [buttons.map { ["text": $0.text, "callback_data": $0.data] }]]
        }
        let result = try await call("sendMessage", parameters)
        return ((result as? [String: Any])?["message_id"] as? NSNumber)?.int64Value ?? 0
    }

    /// `editMessageText` with HTML. Telegram's "message is not modified" (the same text again) is
    /// success: the message shows what it should.
    public func editMessageText(chatID: String, messageID: Int64, html: String) async throws {
        do {
            _ = try await call(
                "editMessageText",
                ["chat_id": chatID, "message_id": messageID, "text": html, "parse_mode": "HTML", "link_preview_options": ["is_disabled": true]])
        } catch let error as ChannelError where error.code == .unchanged {
            return
        }
    }

    /// `sendChatAction` `typing`: the person sees the bot typing while the answer is produced.
    public func sendTyping(chatID: String) async throws {
        _ = try await call("sendChatAction", ["chat_id": chatID, "action": "typing"])
    }

    /// `answerCallbackQuery`, which stops the button's spinner in the person's app.
    public func answerCallbackQuery(_ id: String, text: String?) async throws {
        var parameters: [String: Any] = ["callback_query_id": id]
        if let text { parameters["text"] = text }
        _ = try await call("answerCallbackQuery", parameters)
    }

    /// `setWebhook` with the secret Telegram will send back in `X-Telegram-Bot-Api-Secret-Token`.
    public func setWebhook(url: String, secretToken: String) async throws {
        _ = try await call(
            "setWebhook", ["url": url, "secret_token": secretToken, "allowed_updates": ["message", "edited_message", "callback_query"]]
        )
    }

    /// `deleteWebhook`: Telegram answers `getUpdates` only for a bot without a webhook. Also how a
    /// token is checked when no webhook is set (a wrong one answers 401).
    public func deleteWebhook() async throws {
        _ = try await call("deleteWebhook", ["drop_pending_updates": false])
    }

    /// `getFile`: where the file with `fileID` can be downloaded for the next hour, and its size
    /// when Telegram knows it. Bots get files of up to 20 MB; a larger one is refused here.
    func getFile(_ fileID: String) async throws -> (path: String, size: Int?) {
        let result = try await call("getFile", ["file_id": fileID]) as? [String: Any]
        guard let path = result?["file_path"] as? String, !path.isEmpty else {
            throw ChannelError(code: .rejected, message: "Telegram getFile: no file_path for this file")
        }
        return (path, (result?["file_size"] as? NSNumber)?.intValue)
    }

    /// Downloads a file `getFile` made ready, refusing one over `maxBytes` as it arrives.
    func downloadFile(at path: String, maxBytes: Int) async throws -> [UInt8] {
        var request = HTTPClientRequest(url: "\(baseURL)/file/bot\(token)/\(path)")
        request.maxBodySize = maxBytes
        let response: HTTPClientResponse
        do { response = try await http.execute(request) } catch let error as HTTPClientError {
            if error.code == .bodyTooLarge { throw MediaLimits.tooLarge(nil, limit: maxBytes) }
            throw ChannelError(code: .unavailable, message: "Telegram file download: \(error.shortDescription)")
        }
        guard response.status == 200 else {
            let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
            throw Self.error(method: "file download", status: response.status, body: object)
        }
        return response.body
    }

    /// `getUpdates` long polling: waits up to `timeout` for updates after `offset` (the last handled
    /// `update_id` + 1, which also confirms the earlier ones to Telegram). Updates that are not
    /// objects Leopost reads are skipped, with their ids, so one odd update cannot stall the bot.
    func getUpdates(offset: Int64, timeout: Duration) async throws -> (updates: [TelegramUpdate], lastID: Int64?) {
        let seconds = Int(timeout.components.seconds)
        let result = try await call(
            "getUpdates", ["offset": offset, "timeout": seconds, "allowed_updates": ["message", "edited_message", "callback_query"]],
            waiting: timeout + .seconds(15))
        var updates: [TelegramUpdate] = []
        var lastID: Int64?
        for item in result as? [Any] ?? [] {
            if let id = ((item as? [String: Any])?["update_id"] as? NSNumber)?.int64Value { lastID = max(lastID ?? id, id) }
            guard let data = try? JSONSerialization.data(withJSONObject: item),
                let update = try? JSONCoding.decoder.decode(TelegramUpdate.self, from: data)
            else { continue }
            updates.append(update)
        }
        return (updates, lastID)
    }

    /// Calls `method` with a JSON body and returns its `result`; `waiting` overrides the client's
    /// first-byte limit (a long poll answers only when it has updates or its time is up).
    func call(_ method: String, _ parameters: [String: Any], waiting: Duration? = nil) async throws -> Any {
        let body = try JSONSerialization.data(withJSONObject: parameters)
        let response: HTTPClientResponse
        do {
            var request = HTTPClientRequest(
                method: "POST", url: "\(baseURL)/bot\(token)/\(method)", headers: ["Content-Type": "application/json"], body: Array(body))
            if let waiting {
                request.firstByteTimeout = waiting
                request.totalTimeout = waiting
            }
            response = try await http.execute(request)
        } catch let error as HTTPClientError {
            throw ChannelError.transport(error, message: "Telegram \(method): \(error.shortDescription)")
        }
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        if response.status == 200, object?["ok"] as? Bool == true { return object?["result"] ?? true }
        throw Self.error(method: method, status: response.status, body: object)
    }

    /// Telegram's error answer as a `ChannelError`.
    static func error(method: String, status: Int, body: [String: Any]?) -> ChannelError {
        let description = body?["description"] as? String ?? "HTTP \(status)"
        let message = "Telegram \(method): \(description)"
        switch status {
        case 429:
            let parameters = body?["parameters"] as? [String: Any]
            let seconds = parameters?["retry_after"] as? Int ?? Self.retryAfter(in: description) ?? 1
            return ChannelError(code: .rateLimited, message: message, retryAfter: .seconds(seconds))
        case 401: return ChannelError(code: .unauthorized, message: message)
        // The Bot API has no code of its own for an edit to the same text, only this description;
        // it is read here, once, so callers decide on `.unchanged`.
        case 400 where description.contains("message is not modified"): return ChannelError(code: .unchanged, message: message)
        case 400, 403, 404: return ChannelError(code: .rejected, message: message)
        default: return ChannelError(code: .unavailable, message: message)
        }
    }

    /// "Too Many Requests: retry after 41" → 41, for old answers without `parameters`.
    static func retryAfter(in description: String) -> Int? {
        description.range(of: "retry after ").flatMap { Int(description[$0.upperBound...].prefix { $0.isNumber }) }
    }
}
