import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// A local Telegram Bot API: `POST /bot<token>/<method>` with a JSON body, answering as the real
/// one does (`{"ok": true, "result": ...}` or `{"ok": false, "error_code", "description",
/// "parameters"}` with the same HTTP status). It checks the token, refuses HTML that does not
/// parse and messages over 4,096 visible characters, records every call, and can be told to
/// answer the next calls of a method with an error (a 429 with `retry_after`).
final class FakeTelegram: Sendable {
    struct Call: Sendable {
        let method: String
        let json: String
        var object: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:] }
    }

    let token: String
    private let recorded = Mutex<[Call]>([])
    private let queuedFailures = Mutex<[String: [(status: Int, body: String)]]>([:])
    private let nextMessageID = Mutex<Int64>(1000)
    /// Per method, how many calls pass before one whose answer is held back, and for how long.
    private let deleteNext = Mutex(false)
    private let heldAnswers = Mutex<[String: (skipping: Int, hold: Duration)]>([:])
    /// The current text of every message sent, by id, as edits leave it.
    let texts = Mutex<[Int64: String]>([:])
    /// The messages sent, in order: chat and id.
    private let sent = Mutex<[(chat: String, id: Int64)]>([])
    /// Updates waiting for `getUpdates`, and whether a webhook is set (Telegram then refuses `getUpdates`).
    private let pending = Mutex<(updates: [(id: Int64, json: String)], webhookSet: Bool)>(([], false))
    /// Files people sent, by `file_id`: their bytes, the size `getFile` reports (Telegram's own
    /// figure, which may be missing), and how often each was downloaded.
    private let files = Mutex<[String: (bytes: [UInt8], reportedSize: Int?, downloads: Int)]>([:])

    init(token: String = "123456:TEST-token") {
        self.token = token
    }

    /// Every call so far, in order.
    var calls: [Call] { recorded.withLock { $0 } }

    /// The messages sent to `chatID`, in order, each with its text as edits left it: what the person sees.
    func sentTexts(to chatID: String) -> [String] {
        let ids = sent.withLock { $0.filter { $0.chat == chatID }.map(\.id) }
        return texts.withLock { texts in ids.compactMap { texts[$0] } }
    }

    /// The next call of `method` answers 429 with `retry_after`.
    func rateLimitNext(_ method: String, retryAfter: Int) {
        let body =
            #"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after \#(retryAfter)","parameters":{"retry_after":\#(retryAfter)}}"#
        queuedFailures.withLock { $0[method, default: []].append((429, body)) }
    }

    /// The `skipping + 1`-th next call of `method` is carried out (the message is sent) but its
    /// answer comes only after `hold`: a client with a shorter timeout never hears of it.
    func holdAnswer(of method: String, skipping: Int = 0, for hold: Duration) {
        heldAnswers.withLock { $0[method] = (skipping, hold) }
    }

    /// The next message sent is deleted at once, as the person may: editing it is refused from then
    /// on ("message to edit not found"), and it is not among ``sentTexts(to:)``.
    func deleteNextSentMessage() {
        deleteNext.withLock { $0 = true }
    }

    /// Holds a file as if a person had sent it; `reportedSize` is what `getFile` says (the real size by default).
    func addFile(_ fileID: String, bytes: [UInt8], reportedSize: Int? = nil) {
        files.withLock { $0[fileID] = (bytes, reportedSize ?? bytes.count, 0) }
    }

    /// How often the file was downloaded.
    func downloads(of fileID: String) -> Int {
        files.withLock { $0[fileID]?.downloads ?? 0 }
    }

    /// `getFile`: the `File` object with a `file_path` the download route serves; bots get files
    /// of up to 20 MB, and an unknown id is a 400, as Telegram answers.
    private func getFile(_ object: [String: Any]) -> Response {
        let id = object["file_id"] as? String ?? ""
        guard let file = files.withLock({ $0[id] }) else {
            return Self.answer(400, #"{"ok":false,"error_code":400,"description":"Bad Request: invalid file_id"}"#)
        }
        guard file.bytes.count <= 20 * 1024 * 1024 else {
            return Self.answer(400, #"{"ok":false,"error_code":400,"description":"Bad Request: file is too big"}"#)
        }
        let size = file.reportedSize.map { #","file_size":\#($0)"# } ?? ""
        return Self.answer(200, #"{"ok":true,"result":{"file_id":"\#(id)","file_unique_id":"u\#(id)"\#(size),"file_path":"photos/\#(id).jpg"}}"#)
    }

    /// Queues an update (its JSON, with its `update_id`) for `getUpdates`.
    func queueUpdate(_ json: String) {
        let id = ((try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any])?["update_id"] as? Int64 ?? 0
        pending.withLock { $0.updates.append((id, json)) }
    }

    /// `getUpdates`: drops the updates the offset confirms, then answers what is left, waiting up to
    /// `timeout` seconds for one to arrive; 409 while a webhook is set, as Telegram does.
    private func getUpdates(_ object: [String: Any]) async throws -> Response {
        let offset = (object["offset"] as? NSNumber)?.int64Value ?? 0
        let timeout = (object["timeout"] as? NSNumber)?.doubleValue ?? 0
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
        while true {
            let (webhook, ready) = pending.withLock { state in
                state.updates.removeAll { $0.id < offset }
                return (state.webhookSet, state.updates.map(\.json))
            }
            if webhook {
                return Self.answer(
                    409,
                    #"{"ok":false,"error_code":409,"description":"Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}"#
                )
            }
            if !ready.isEmpty || ContinuousClock.now >= deadline {
                return Self.answer(200, #"{"ok":true,"result":[\#(ready.joined(separator: ","))]}"#)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        // Downloads: `GET /file/bot<token>/<file_path>`, the bytes as stored, 404 for anything else.
        router.get("/file/:bot/photos/:name") { _, context -> Response in
            guard context.parameters.get("bot") == "bot\(self.token)", let name = context.parameters.get("name"), name.hasSuffix(".jpg") else {
                return Self.answer(404, #"{"ok":false,"error_code":404,"description":"Not Found"}"#)
            }
            let id = String(name.dropLast(4))
            let bytes = self.files.withLock { files -> [UInt8]? in
                files[id]?.downloads += 1
                return files[id]?.bytes
            }
            guard let bytes else { return Self.answer(404, #"{"ok":false,"error_code":404,"description":"Not Found"}"#) }
            return Response(
                status: .ok, headers: [.contentType: "application/octet-stream"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        router.post("/:bot/:method") { request, context -> Response in
            let method = context.parameters.get("method") ?? ""
            guard context.parameters.get("bot") == "bot\(self.token)" else {
                return Self.answer(401, #"{"ok":false,"error_code":401,"description":"Unauthorized"}"#)
            }
            let body = try await request.body.collect(upTo: 1 << 20)
            let json = String(buffer: body)
            if let failure = self.queuedFailures.withLock({ $0[method]?.isEmpty == false ? $0[method]!.removeFirst() : nil }) {
                return Self.answer(failure.status, failure.body)
            }
            // Only calls that were answered with success are recorded: what the person would have received.
            self.recorded.withLock { $0.append(Call(method: method, json: json)) }
            let hold = self.heldAnswers.withLock { held -> Duration? in
                guard let entry = held[method] else { return nil }
                if entry.skipping > 0 {
                    held[method] = (entry.skipping - 1, entry.hold)
                    return nil
                }
                held[method] = nil
                return entry.hold
            }
            if let hold {
                let response = try await self.handle(method, json: json)
                try await Task.sleep(for: hold)
                return response
            }
            return try await self.handle(method, json: json)
        }
        return router
    }

    /// Carries out one call and answers it as Telegram does.
    private func handle(_ method: String, json: String) async throws -> Response {
        let object = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:]
        switch method {
        case "sendMessage":
            let text = object["text"] as? String ?? ""
            let visible: String
            do { visible = object["parse_mode"] as? String == "HTML" ? try TelegramHTML(text).visible : text } catch {
                return Self.answer(400, #"{"ok":false,"error_code":400,"description":"Bad Request: can't parse entities: \#(error)"}"#)
            }
            guard !visible.isEmpty else {
                return Self.answer(400, #"{"ok":false,"error_code":400,"description":"Bad Request: message text is empty"}"#)
            }
            guard visible.unicodeScalars.count <= 4096 else {
                return Self.answer(400, #"{"ok":false,"error_code":400,"description":"Bad Request: message is too long"}"#)
            }
            let id = self.nextMessageID.withLock {
                $0 += 1; return $0
            }
            let deleted = deleteNext.withLock { next in
                defer { next = false }
                return next
            }
            if !deleted { self.texts.withLock { $0[id] = text } }
            self.sent.withLock { $0.append(("\(object["chat_id"] ?? "")", id)) }
            let chat = object["chat_id"] ?? 0
            return Self.answer(
                200, #"{"ok":true,"result":{"message_id":\#(id),"chat":{"id":\#(chat),"type":"private"},"date":1709660800,"text":"sent"}}"#)
        case "setWebhook":
            self.pending.withLock { $0.webhookSet = true }
            return Self.answer(200, #"{"ok":true,"result":true,"description":"Webhook was set"}"#)
        case "deleteWebhook":
            self.pending.withLock { $0.webhookSet = false }
            return Self.answer(200, #"{"ok":true,"result":true,"description":"Webhook was deleted"}"#)
        case "getUpdates":
            return try await self.getUpdates(object)
        case "getFile":
            return self.getFile(object)
        case "editMessageText":
            // Telegram refuses an edit that changes nothing, and one of a message it never sent.
            guard let id = (object["message_id"] as? NSNumber)?.int64Value, let text = object["text"] as? String,
                let current = self.texts.withLock({ $0[id] })
            else { return Self.answer(400, #"{"ok":false,"error_code":400,"description":"Bad Request: message to edit not found"}"#) }
            guard current != text else {
                return Self.answer(
                    400,
                    #"{"ok":false,"error_code":400,"description":"Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"}"#
                )
            }
            self.texts.withLock { $0[id] = text }
            return Self.answer(
                200, #"{"ok":true,"result":{"message_id":\#(id),"chat":{"id":0,"type":"private"},"date":1709660800,"text":"edited"}}"#)
        case "sendChatAction", "answerCallbackQuery":
            return Self.answer(200, #"{"ok":true,"result":true}"#)
        default:
            return Self.answer(404, #"{"ok":false,"error_code":404,"description":"Not Found"}"#)
        }
    }

    static func answer(_ status: Int, _ body: String) -> Response {
        Response(status: .init(code: status), headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
