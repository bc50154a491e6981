import Foundation
import Hummingbird
import LeopostCore
import NIOCore
import Synchronization

/// A local WhatsApp Cloud API: `POST /v21.0/{phone-number-id}/messages` with a bearer token,
/// answering `{"messaging_product", "contacts", "messages": [{"id": "wamid..."}]}` or Meta's error
/// envelope. Records every message and can be told to fail the next sends with an error code.
final class FakeWhatsApp: Sendable {
    struct Sent: Sendable {
        let phoneNumberID: String
        let to: String
        let body: String
        let wamid: String
        /// An interactive message's reply buttons: title → id.
        var buttons: [String: String] = [:]
    }

    let accessToken: String
    private let recorded = Mutex<[Sent]>([])
    private let queuedErrors = Mutex<[(status: Int, code: Int, details: String)]>([])
    private let counter = Mutex(0)

    init(accessToken: String = "EAAB-test-token") {
        self.accessToken = accessToken
    }

    /// Everything sent so far.
    var sent: [Sent] { recorded.withLock { $0 } }

    /// Media people sent, by media id: bytes and MIME type, and how often each was downloaded.
    private let media = Mutex<[String: (bytes: [UInt8], mimeType: String, downloads: Int)]>([:])

    /// Holds media as if a person had sent it.
    func addMedia(_ id: String, bytes: [UInt8], mimeType: String = "image/jpeg") {
        media.withLock { $0[id] = (bytes, mimeType, 0) }
    }

    /// How often the media was downloaded.
    func downloads(of id: String) -> Int {
        media.withLock { $0[id]?.downloads ?? 0 }
    }

    /// The next send fails with Meta's `code`.
    func failNext(status: Int = 400, code: Int, details: String) {
        queuedErrors.withLock { $0.append((status, code, details)) }
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        // `GET /{media-id}`: the short-lived download URL and Meta's facts, `file_size` a string as
        // Meta sends it; the download itself needs the same bearer token.
        // (Hummingbird wants one parameter name per position: `phone` here holds the media id.)
        router.get("/v21.0/:phone") { request, context -> Response in
            guard request.headers[.authorization] == "Bearer \(self.accessToken)" else {
                return Self.error(401, code: 190, details: "Error validating access token: Session has expired")
            }
            let id = context.parameters.get("phone") ?? ""
            guard let file = self.media.withLock({ $0[id] }) else {
                return Self.error(400, code: 100, details: "Unsupported get request. Object with ID '\(id)' does not exist")
            }
            let host = request.head.authority ?? "127.0.0.1"
            return Self.json(
                200,
                #"{"messaging_product":"whatsapp","url":"http://\#(host)/whatsapp_business/attachments/\#(id)","mime_type":"\#(file.mimeType)","sha256":"\#(SHA256.hexDigest(file.bytes))","file_size":"\#(file.bytes.count)","id":"\#(id)"}"#
            )
        }
        router.get("/whatsapp_business/attachments/:media") { request, context -> Response in
            guard request.headers[.authorization] == "Bearer \(self.accessToken)" else {
                return Self.error(401, code: 190, details: "Error validating access token: Session has expired")
            }
            let id = context.parameters.get("media") ?? ""
            let bytes = self.media.withLock { media -> [UInt8]? in
                media[id]?.downloads += 1
                return media[id]?.bytes
            }
            guard let bytes else { return Self.error(404, code: 100, details: "Not found") }
            return Response(status: .ok, headers: [.contentType: "image/jpeg"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        router.post("/v21.0/:phone/messages") { request, context -> Response in
            guard request.headers[.authorization] == "Bearer \(self.accessToken)" else {
                return Self.error(401, code: 190, details: "Error validating access token: Session has expired")
            }
            if let failure = self.queuedErrors.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
                return Self.error(failure.status, code: failure.code, details: failure.details)
            }
            let object =
                (try? JSONSerialization.jsonObject(with: Data(String(buffer: try await request.body.collect(upTo: 1 << 20)).utf8))) as? [String: Any]
                ?? [:]
            guard object["messaging_product"] as? String == "whatsapp", let to = object["to"] as? String,
                let (body, buttons) = Self.content(of: object)
            else { return Self.error(400, code: 100, details: "Invalid parameter") }
            let wamid = "wamid.fake\(self.counter.withLock { $0 += 1; return $0 })"
            self.recorded.withLock {
                $0.append(Sent(phoneNumberID: context.parameters.get("phone") ?? "", to: to, body: body, wamid: wamid, buttons: buttons))
            }
            return Self.json(
                200, #"{"messaging_product":"whatsapp","contacts":[{"input":"\#(to)","wa_id":"\#(to)"}],"messages":[{"id":"\#(wamid)"}]}"#)
        }
        return router
    }

    /// A text message's body (≤ 4,096 characters), or an interactive button message's body
    /// (≤ 1,024) and its 1 to 3 reply buttons (id ≤ 256, title ≤ 20 characters), as the Cloud API
    /// requires; `nil` for anything else.
    static func content(of object: [String: Any]) -> (String, [String: String])? {
        switch object["type"] as? String ?? "text" {
        case "text":
            guard let body = (object["text"] as? [String: Any])?["body"] as? String, body.unicodeScalars.count <= 4096 else { return nil }
            return (body, [:])
        case "interactive":
            guard let interactive = object["interactive"] as? [String: Any], interactive["type"] as? String == "button",
                let body = (interactive["body"] as? [String: Any])?["text"] as? String, body.count <= 1024,
                let list = (interactive["action"] as? [String: Any])?["buttons"] as? [[String: Any]], (1...3).contains(list.count)
            else { return nil }
            var buttons: [String: String] = [:]
            for button in list {
                guard button["type"] as? String == "reply", let reply = button["reply"] as? [String: Any], let id = reply["id"] as? String,
                    let title = reply["title"] as? String, id.count <= 256, (1...20).contains(title.count)
                else { return nil }
                buttons[title] = id
            }
            return (body, buttons)
        case "template":
            // The approved templates of this fake: "answer_ready" (en_US), whose body has one parameter.
            guard let template = object["template"] as? [String: Any], template["name"] as? String == "answer_ready",
                (template["language"] as? [String: Any])?["code"] as? String == "en_US",
                let components = template["components"] as? [[String: Any]], let body = components.first(where: { $0["type"] as? String == "body" }),
                let parameters = body["parameters"] as? [[String: Any]], parameters.count == 1, let text = parameters[0]["text"] as? String,
                text.count <= 1024
            else { return nil }
            return (text, ["template": "answer_ready"])
        default:
            return nil
        }
    }

    static func error(_ status: Int, code: Int, details: String) -> Response {
        json(
            status,
            #"{"error":{"message":"(#\#(code)) \#(details)","type":"OAuthException","code":\#(code),"error_data":{"messaging_product":"whatsapp","details":"\#(details)"},"fbtrace_id":"AbCdEf"}}"#
        )
    }

    static func json(_ status: Int, _ body: String) -> Response {
        Response(status: .init(code: status), headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
