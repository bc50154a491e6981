import Foundation
import LeopostChannels
import LeopostCore
import LeopostTestSupport

extension ChatHarness {
    /// A link code for `user`, from the web chat's API.
    func linkCode(for user: String = "alice") async throws -> String {
        let issued = try await call("POST", "/v1/link-codes", credential: try token(user))
        guard issued.status == 201, let code = ChatHarness.field("code", in: issued.body) else { throw HarnessError("no link code: \(issued)") }
        return code
    }

    /// How many messages the tenant has stored, by direction.
    func storedMessages(_ direction: String) async throws -> Int {
        try await database.app.withTenantTransaction(tenant.tenantID.rawValue) { connection in
            try connection.query("SELECT count(*)::int AS n FROM messages WHERE direction = \(direction)")[0].decode(Int.self, column: "n")
        }
    }
}

enum TelegramUpdates {
    static let chatID: Int64 = 714_862_471

    /// A private-chat text message update, as Telegram sends it.
    static func text(_ text: String, updateID: Int, chat: Int64 = chatID) -> String {
        let escaped = String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
        return """
            {"update_id":\(updateID),"message":{"message_id":\(updateID + 7),"from":{"id":\(chat),"is_bot":false,"first_name":"Chris","language_code":"en"},\
            "chat":{"id":\(chat),"first_name":"Chris","type":"private"},"date":1709659500,"text":\(escaped)}}
            """
    }

    /// A photo with a caption, as Telegram sends it: the sizes it made, smallest first; the largest is `fileID`.
    static func photo(fileID: String, caption: String?, updateID: Int, chat: Int64 = chatID) -> String {
        let caption = caption.map { #","caption":\#(String(decoding: try! JSONEncoder().encode($0), as: UTF8.self))"# } ?? ""
        return """
            {"update_id":\(updateID),"message":{"message_id":\(updateID + 7),"from":{"id":\(chat),"is_bot":false,"first_name":"Chris"},\
            "chat":{"id":\(chat),"first_name":"Chris","type":"private"},"date":1709659500,"photo":[\
            {"file_id":"\(fileID)-small","file_unique_id":"s\(fileID)","file_size":1200,"width":90,"height":60},\
            {"file_id":"\(fileID)","file_unique_id":"l\(fileID)","file_size":48211,"width":1280,"height":853}]\(caption)}}
            """
    }

    /// A button press on one of the bot's messages.
    static func callback(updateID: Int, data: String) -> String {
        """
        {"update_id":\(updateID),"callback_query":{"id":"3084960451294067891","from":{"id":\(chatID),"is_bot":false,"first_name":"Chris"},\
        "message":{"message_id":124,"from":{"id":7000000001,"is_bot":true,"first_name":"Bot"},"chat":{"id":\(chatID),"type":"private"},\
        "date":1709660800,"text":"Preview"},"chat_instance":"-8873462374817249132","data":"\(data)"}}
        """
    }
}

/// A Telegram connection on a running deployment, and how to post updates to its webhook.
struct TelegramSetup: Sendable {
    let chat: ChatHarness
    let fake: FakeTelegram
    let path: String
    let secret: String

    static let publicURL = "https://leopost.example"

    /// Runs `body` with a fake Bot API, a deployment whose messaging points at it, and a Telegram
    /// connection made through `POST /v1/channels`.
    static func with(
        chains: ChatRouter.ChainFactory? = nil, redisURL: RedisURL? = nil, mediaLimits: MediaLimits = MediaLimits(),
        http: HTTPClient.Configuration? = nil,
        _ body: @Sendable (TelegramSetup) async throws -> Void
    ) async throws {
        let fake = FakeTelegram()
        try await withTestHTTPServer(router: fake.router()) { fakePort in
            let messaging = MessagingConfiguration(
                publicBaseURL: publicURL, telegramAPIBaseURL: "http://127.0.0.1:\(fakePort)", whatsAppAPIBaseURL: "http://127.0.0.1:9/v21.0"
            )
            try await ChatHarness.with(chains: chains, messaging: messaging, mediaLimits: mediaLimits, redisURL: redisURL, http: http) { chat in
                let created = try await chat.call(
                    "POST", "/v1/channels", json: #"{"kind":"telegram","name":"main","credentials":{"bot_token":"\#(fake.token)"}}"#,
                    credential: chat.tenant.apiKey
                )
                guard created.status == 201, let webhook = ChatHarness.field("webhook_url", in: created.body),
                    let registered = fake.calls.first(where: { $0.method == "setWebhook" }), let secret = registered.object["secret_token"] as? String
                else { throw HarnessError("could not connect Telegram: \(created)") }
                guard registered.object["url"] as? String == webhook else { throw HarnessError("setWebhook got another URL than the one returned") }
                try await body(TelegramSetup(chat: chat, fake: fake, path: String(webhook.dropFirst(publicURL.count)), secret: secret))
            }
        }
    }

    /// Posts an update to the webhook with the connection's secret (or `secret`).
    func post(_ update: String, secret: String? = nil) async throws -> Int {
        try await chat.call(
            "POST", path, json: update, credential: nil, headers: [("X-Telegram-Bot-Api-Secret-Token", secret ?? self.secret)]
        ).status
    }

    /// Links the Telegram chat to `user` with a code from the web chat.
    func link(_ user: String = "alice", updateID: Int = 1) async throws {
        let code = try await chat.linkCode(for: user)
        guard try await post(TelegramUpdates.text("/link \(code)", updateID: updateID)) == 200 else {
            throw HarnessError("the /link update was refused")
        }
        try await eventually("the linked reply") { fake.sentTexts(to: "\(TelegramUpdates.chatID)").contains { $0.hasPrefix("Linked!") } }
    }
}
