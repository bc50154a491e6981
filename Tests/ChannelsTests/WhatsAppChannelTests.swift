import Foundation
import LeopostChannels
import LeopostCore
import LeopostTestSupport
import Testing

/// A WhatsApp connection on a running deployment, and how to post signed webhooks to it.
struct WhatsAppSetup: Sendable {
    let chat: ChatHarness
    let fake: FakeWhatsApp
    let path: String
    /// Where the fake Cloud API is, for tests that drive the adapter directly.
    let fakeBaseURL: String

    static let appSecret = "app-secret-for-tests"
    static let verifyToken = "verify-me"
    static let phoneNumberID = "106540352242922"
    static let customer = "16505551234"

    static func with(chains: ChatRouter.ChainFactory? = nil, _ body: @Sendable (WhatsAppSetup) async throws -> Void) async throws {
        let fake = FakeWhatsApp()
        try await withTestHTTPServer(router: fake.router()) { fakePort in
            let messaging = MessagingConfiguration(
                publicBaseURL: "https://leopost.example", telegramAPIBaseURL: "http://127.0.0.1:9",
                whatsAppAPIBaseURL: "http://127.0.0.1:\(fakePort)/v21.0"
            )
            try await ChatHarness.with(chains: chains, messaging: messaging) { chat in
                let created = try await chat.call(
                    "POST", "/v1/channels",
                    json: #"""
                        {"kind":"whatsapp","name":"sales","credentials":{"verify_token":"\#(verifyToken)","app_secret":"\#(appSecret)","access_token":"\#(fake.accessToken)"},
                         "settings":{"phone_number_id":"\#(phoneNumberID)"}}
                        """#,
                    credential: chat.tenant.apiKey
                )
                guard created.status == 201, let webhook = ChatHarness.field("webhook_url", in: created.body) else {
                    throw HarnessError("could not connect WhatsApp: \(created)")
                }
                try await body(
                    WhatsAppSetup(
                        chat: chat, fake: fake, path: String(webhook.dropFirst("https://leopost.example".count)),
                        fakeBaseURL: "http://127.0.0.1:\(fakePort)/v21.0"))
            }
        }
    }

    /// Posts `body` with a valid signature (or the given header).
    func post(_ body: String, signature: String? = nil) async throws -> Int {
        let valid = "sha256=" + Hex.encode(HMACSHA256.authenticationCode(for: Array(body.utf8), key: Array(Self.appSecret.utf8)))
        return try await chat.call("POST", path, json: body, credential: nil, headers: [("X-Hub-Signature-256", signature ?? valid)]).status
    }

    /// The Cloud API envelope around `messages` or `statuses`.
    static func envelope(messages: [String] = [], statuses: [String] = []) -> String {
        """
        {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp",\
        "metadata":{"display_phone_number":"15550783881","phone_number_id":"\(phoneNumberID)"},\
        "contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"\(customer)"}],\
        "messages":[\(messages.joined(separator: ","))],"statuses":[\(statuses.joined(separator: ","))]},"field":"messages"}]}]}
        """
    }

    static func text(_ text: String, id: String) -> String {
        let escaped = String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
        return #"{"from":"\#(customer)","id":"\#(id)","timestamp":"1749416383","type":"text","text":{"body":\#(escaped)}}"#
    }

    /// An image message with a caption, as the Cloud API sends it.
    static func image(mediaID: String, caption: String, id: String) -> String {
        #"{"from":"\#(customer)","id":"\#(id)","timestamp":"1749416383","type":"image","image":{"caption":"\#(caption)","mime_type":"image/jpeg","sha256":"c1d2","id":"\#(mediaID)"}}"#
    }

    /// Links the customer's number to `alice`.
    func link() async throws {
        let code = try await chat.linkCode()
        guard try await post(Self.envelope(messages: [Self.text("/link \(code)", id: "wamid.link")])) == 200 else {
            throw HarnessError("link refused")
        }
        try await eventually("the linked reply") { fake.sent.contains { $0.body.hasPrefix("Linked!") } }
    }
}

@Suite("WhatsApp: verification, signatures, link flow, answers once, statuses and reactions")
struct WhatsAppChannelTests {
    @Test func theVerificationHandshakeAnswersTheChallengeOnlyForTheRightToken() async throws {
        try await WhatsAppSetup.with { whatsapp in
            let ok = try await whatsapp.chat.call(
                "GET", "\(whatsapp.path)?hub.mode=subscribe&hub.verify_token=\(WhatsAppSetup.verifyToken)&hub.challenge=1158201444", credential: nil
            )
            #expect(ok.status == 200 && ok.body == "1158201444")
            let wrong = try await whatsapp.chat.call(
                "GET", "\(whatsapp.path)?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1", credential: nil)
            #expect(wrong.status == 403)
        }
    }

    @Test func aBadSignatureIsRefusedAndAMessageIsAnsweredOnce() async throws {
        try await WhatsAppSetup.with { whatsapp in
            let message = WhatsAppSetup.envelope(messages: [WhatsAppSetup.text("Draft a post about lilies", id: "wamid.one")])
            #expect(try await whatsapp.post(message, signature: "sha256=" + String(repeating: "0", count: 64)) == 401)
            #expect(try await whatsapp.post(message, signature: "") == 401)
            try await Task.sleep(for: .milliseconds(200))
            #expect(whatsapp.fake.sent.isEmpty, "a refused webhook enqueues nothing")

            #expect(try await whatsapp.post(message) == 200)
            try await eventually("the refusal") { whatsapp.fake.sent.contains { $0.body.contains("not linked") } }
            try await whatsapp.link()
            let question = WhatsAppSetup.envelope(messages: [WhatsAppSetup.text("Draft a post about lilies", id: "wamid.two")])
            #expect(try await whatsapp.post(question) == 200)
            #expect(try await whatsapp.post(question) == 200)  // Meta delivers it again
            try await eventually("the answer") { whatsapp.fake.sent.contains { $0.body.contains("lilies") && !$0.body.contains("not linked") } }
            try await Task.sleep(for: .milliseconds(500))
            let answers = whatsapp.fake.sent.filter { $0.body.contains("lilies") && !$0.body.contains("not linked") }
            #expect(answers.count == 1)
            #expect(answers.first?.to == WhatsAppSetup.customer && answers.first?.phoneNumberID == WhatsAppSetup.phoneNumberID)
            // Unknown message types and empty entries are acknowledged and ignored.
            #expect(try await whatsapp.post(#"{"object":"whatsapp_business_account","entry":[]}"#) == 200)
            #expect(try await whatsapp.post(WhatsAppSetup.envelope(messages: [#"{"from":"1","id":"wamid.x","type":"sticker","sticker":{}}"#])) == 200)
        }
    }

    @Test func statusesUpdateTheDeliveryRecordAndAThumbsUpIsFeedback() async throws {
        try await WhatsAppSetup.with { whatsapp in
            try await whatsapp.link()
            #expect(
                try await whatsapp.post(WhatsAppSetup.envelope(messages: [WhatsAppSetup.text("Draft a post about daisies", id: "wamid.q")])) == 200)
            try await eventually("the answer") { whatsapp.fake.sent.contains { $0.body.contains("daisies") } }
            let wamid = try #require(whatsapp.fake.sent.last { $0.body.contains("daisies") }?.wamid)
            let deliveries = DeliveryStore(pool: whatsapp.chat.database.app)
            let tenant = whatsapp.chat.tenant.tenantID
            // The delivery stage records the piece right after WhatsApp accepted it.
            try await eventually("the delivery record") {
                try await deliveries.message(forExternalID: wamid, channel: "whatsapp", tenant: tenant) != nil
            }
            let answer = try #require(try await deliveries.message(forExternalID: wamid, channel: "whatsapp", tenant: tenant))

            func status(_ state: String, errors: String = "") -> String {
                #"{"id":"\#(wamid)","status":"\#(state)","timestamp":"1698266945","recipient_id":"\#(WhatsAppSetup.customer)"\#(errors)}"#
            }
            #expect(try await whatsapp.post(WhatsAppSetup.envelope(statuses: [status("read")])) == 200)
            #expect(try await whatsapp.post(WhatsAppSetup.envelope(statuses: [status("delivered")])) == 200)  // late, never goes back
            // The statuses are taken by the intake stage, in no particular order.
            let intake = StageQueue(stage: whatsapp.chat.intakeStage, redis: whatsapp.chat.redis)
            try await eventually("both statuses taken") { try await intake.backlog().pending == 0 }
            #expect(try await deliveries.deliveries(of: answer, tenant: tenant).map(\.status) == [.read])

            let reaction =
                #"{"from":"\#(WhatsAppSetup.customer)","id":"wamid.r","timestamp":"1","type":"reaction","reaction":{"message_id":"\#(wamid)","emoji":"👍"}}"#
            #expect(try await whatsapp.post(WhatsAppSetup.envelope(messages: [reaction])) == 200)
            let history = try await whatsapp.chat.call("GET", "/v1/conversations", credential: try whatsapp.chat.token("alice"))
            let conversation = try #require((ChatHarness.object(history.body)["conversations"] as? [[String: Any]])?.first?["id"] as? String)
            try await eventually("the thumbs up as feedback") {
                try await whatsapp.chat.call(
                    "GET", "/v1/conversations/\(conversation)/messages", credential: try whatsapp.chat.token("alice")
                ).body.contains(#""feedback":"up""#)
            }

            let failed = #","errors":[{"code":131047,"title":"Re-engagement message","error_data":{"details":"more than 24 hours"}}]"#
            #expect(try await whatsapp.post(WhatsAppSetup.envelope(statuses: [status("failed", errors: failed)])) == 200)
            try await eventually("the failure recorded") {
                try await deliveries.deliveries(of: answer, tenant: tenant).first?.status == .failed
            }
            let record = try await deliveries.deliveries(of: answer, tenant: tenant)
            #expect(record.first?.error?.contains("24 hours") == true)
        }
    }
}

@Suite("Channel connection cache")
struct ChannelConnectionCacheTests {
    @Test func aConnectionIsReadOnceAndNeverServedToAnotherTenant() async throws {
        try await TestDatabase.with(logger: TestEnvironment.logger()) { database in
            let store = ChannelConnectionStore(pool: database.app, masterKey: try SymmetricKey(bytes: Array(repeating: 9, count: 32)))
            let tenants = TenantStore(pool: database.app)
            let acme = try await tenants.createTenant(name: "Acme").tenantID
            let rival = try await tenants.createTenant(name: "Rival").tenantID
            let made = try await store.create(channel: "telegram", name: "main", credentials: ["bot_token": "1:x"], settings: [:], tenant: acme)
            let cache = ChannelConnectionCache(store: store)
            #expect(try await cache.connection(made.id, tenant: acme)?.credentials["bot_token"] == "1:x")
            #expect(try await cache.connection(made.id, tenant: rival) == nil)
            #expect(try await cache.connection(UUID(), tenant: acme) == nil)
            #expect(try await cache.connection(made.id, tenant: acme)?.id == made.id)
        }
    }
}

@Suite("WhatsApp: post previews as reply buttons")
struct WhatsAppPreviewTests {
    @Test func aPreviewIsSentWithConfirmAndCancelButtonsAndAPressIsAnswered() async throws {
        try await WhatsAppSetup.with { whatsApp in
            let chat = whatsApp.chat
            let masterKey = try SymmetricKey(bytes: Array(repeating: 3, count: 32))
            let connection = try #require(
                try await ChannelConnectionStore(pool: chat.database.app, masterKey: masterKey).connections(tenant: chat.tenant.tenantID).first)
            let adapter = WhatsAppChannel(
                connections: ChannelConnectionStore(pool: chat.database.app, masterKey: masterKey), http: chat.http, baseURL: whatsApp.fakeBaseURL)
            let post = UUID()
            let preview = OutboundMessage(
                tenantID: chat.tenant.tenantID, conversationID: nil, messageID: UUID(), channel: "whatsapp", connectionID: connection.id,
                recipient: WhatsAppSetup.customer,
                parts: [.postPreview(PostPreviewPart(postID: post, platform: "mastodon, x", text: String(repeating: "Tulips! ", count: 200)))])
            _ = try await adapter.send(adapter.format(preview), for: preview, idempotencyKey: "preview")
            let sent = try #require(whatsApp.fake.sent.last)
            #expect(sent.buttons == ["Confirm": PostDecision.confirm.buttonData(for: post), "Cancel": PostDecision.cancel.buttonData(for: post)])
            #expect(sent.body.hasPrefix("Draft for mastodon, x:"))
            #expect(sent.body.count <= 1024, "a long draft is cut to fit the interactive body")

            // A press comes back as a button_reply; this deployment has no publisher, and says so.
            try await whatsApp.link()
            let press =
                #"{"from":"\#(WhatsAppSetup.customer)","id":"wamid.press","timestamp":"1749416390","type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"\#(PostDecision.confirm.buttonData(for: post))","title":"Confirm"}}}"#
            #expect(try await whatsApp.post(WhatsAppSetup.envelope(messages: [press])) == 200)
            try await eventually("the answer to the press") { whatsApp.fake.sent.contains { $0.body == "Publishing is not available here." } }
            #expect(try await chat.storedMessages("inbound") == 0, "a button press is not a chat message")
        }
    }
}

@Suite("WhatsApp: the 24-hour window")
struct WhatsAppWindowTests {
    @Test func outsideTheWindowTheConnectionsTemplateCarriesTheAnswerOrTheRefusalIsExplained() async throws {
        try await WhatsAppSetup.with { whatsApp in
            let chat = whatsApp.chat
            let store = ChannelConnectionStore(pool: chat.database.app, masterKey: try SymmetricKey(bytes: Array(repeating: 3, count: 32)))
            let credentials = ["verify_token": "v", "app_secret": "s", "access_token": whatsApp.fake.accessToken]
            let withTemplate = try await store.create(
                channel: "whatsapp", name: "templated", credentials: credentials,
                settings: ["phone_number_id": WhatsAppSetup.phoneNumberID, "template_name": "answer_ready", "template_language": "en_US"],
                tenant: chat.tenant.tenantID)
            let without = try await store.create(
                channel: "whatsapp", name: "plain", credentials: credentials, settings: ["phone_number_id": WhatsAppSetup.phoneNumberID],
                tenant: chat.tenant.tenantID)
            let adapter = WhatsAppChannel(connections: store, http: chat.http, baseURL: whatsApp.fakeBaseURL)
            func answer(through connection: ChannelConnection) -> OutboundMessage {
                OutboundMessage(
                    tenantID: chat.tenant.tenantID, conversationID: nil, messageID: UUID(), channel: "whatsapp", connectionID: connection.id,
                    recipient: WhatsAppSetup.customer, parts: [.text("Your tulip post is ready.")])
            }

            whatsApp.fake.failNext(code: 131047, details: "Message failed to send because more than 24 hours have passed")
            let message = answer(through: withTemplate)
            let receipt = try await adapter.send(adapter.format(message), for: message, idempotencyKey: "window-1")
            let sent = try #require(whatsApp.fake.sent.last)
            #expect(sent.buttons["template"] == "answer_ready")
            #expect(sent.body == "Your tulip post is ready.")
            #expect(receipt.externalIDs == [sent.wamid])

            whatsApp.fake.failNext(code: 131047, details: "Message failed to send because more than 24 hours have passed")
            let plain = answer(through: without)
            do {
                _ = try await adapter.send(adapter.format(plain), for: plain, idempotencyKey: "window-2")
                Issue.record("sent outside the window without a template")
            } catch let error as ChannelError {
                #expect(!error.isRetryable)
                #expect(error.message.contains("24 hours"))
            }
        }
    }
}
