import Foundation
import Hummingbird
import LeopostChannels
import LeopostCore
import LeopostProviders
import LeopostTestSupport
import Logging
import ServiceLifecycle
import Testing

/// A draft post made for a Telegram or WhatsApp conversation (from the REST API, or by the
/// assistant from a chat message) is shown in the chat with Confirm and Cancel buttons; Confirm
/// publishes it through the Mastodon plugin and the chat hears the link, Cancel stops it, and a
/// button for a post of another chat does nothing.
@Suite("Post previews with Confirm and Cancel buttons in Telegram and WhatsApp")
struct PostPreviewButtonsTests {
    static let chat = "\(TelegramUpdates.chatID)"

    @Test func confirmPublishesAndCancelStops() async throws {
        try await Deployment.with { deployment in
            let post = try await deployment.draft("Tulips are back! Come and see them this weekend.")
            try await eventually("the preview with buttons") { deployment.previewButtons(for: post) != nil }
            let buttons = try #require(deployment.previewButtons(for: post))
            #expect(buttons == ["Confirm": "post:confirm:\(post.uuidString.lowercased())", "Cancel": "post:cancel:\(post.uuidString.lowercased())"])
            #expect(try await deployment.press(buttons["Confirm"]!, updateID: 100) == 200)
            try await eventually("the post on Mastodon") { deployment.mastodon.ledger.posts.count == 1 }
            #expect(deployment.mastodon.ledger.posts.first?.text == "Tulips are back! Come and see them this weekend.")
            #expect(
                deployment.telegram.calls.contains {
                    $0.method == "answerCallbackQuery" && ($0.object["text"] as? String)?.hasPrefix("Publishing to mastodon") == true
                })
            // And the chat hears when it is out, with the link.
            try await eventually("the notice in the chat") {
                deployment.telegram.sentTexts(to: Self.chat).contains { $0.hasPrefix("Published on mastodon: http") }
            }

            // Cancel on a scheduled draft: nothing goes out.
            let later = try await deployment.draft("Not this one.", scheduledAt: Date().addingTimeInterval(2))
            try await eventually("the second preview") { deployment.previewButtons(for: later) != nil }
            #expect(try await deployment.press(deployment.previewButtons(for: later)!["Cancel"]!, updateID: 101) == 200)
            try await eventually("the cancellation") { try await deployment.posts.post(later, tenant: deployment.tenant)?.status == .cancelled }
            try await Task.sleep(for: .seconds(2.5))
            #expect(deployment.mastodon.ledger.posts.count == 1)

            // A button whose post belongs to no conversation of this chat changes nothing.
            let elsewhere = try await deployment.draft("From the API, not from this chat.", inConversation: false)
            #expect(try await deployment.press(PostDecision.confirm.buttonData(for: elsewhere), updateID: 102) == 200)
            try await eventually("the refusal") {
                deployment.telegram.calls.contains {
                    $0.method == "answerCallbackQuery" && $0.object["text"] as? String == "That post is not from this chat."
                }
            }
            #expect(try await deployment.posts.post(elsewhere, tenant: deployment.tenant)?.status == .draft)
        }
    }

    @Test func aChatMessageBecomesADraftWithButtonsAndConfirmingPublishesWithANotice() async throws {
        try await Deployment.with { deployment in
            #expect(try await deployment.say("Please post about our tulip festival on mastodon", updateID: 200) == 200)
            try await eventually("the preview with buttons") { !deployment.previewedPosts.isEmpty }
            let post = try #require(deployment.previewedPosts.first)
            let stored = try #require(try await deployment.posts.post(post, tenant: deployment.tenant))
            #expect(stored.status == .draft && stored.conversationID == deployment.conversation)
            #expect(stored.text.hasPrefix("Our tulip festival"))
            // The preview shows the text as Mastodon will; the answer after it says a draft waits.
            #expect(deployment.telegram.sentTexts(to: Self.chat).contains { $0.contains("Draft for mastodon") && $0.contains("tulip festival") })
            try await eventually("the assistant's answer") { deployment.telegram.sentTexts(to: Self.chat).count >= 2 }
            #expect(deployment.mastodon.ledger.posts.isEmpty, "nothing goes out before the person confirms")

            #expect(try await deployment.press(deployment.previewButtons(for: post)!["Confirm"]!, updateID: 201) == 200)
            try await eventually("the post on Mastodon") { deployment.mastodon.ledger.posts.count == 1 }
            #expect(deployment.mastodon.ledger.posts.first?.text == stored.text)
            try await eventually("the notice in the chat") {
                deployment.telegram.sentTexts(to: Self.chat).contains { $0.hasPrefix("Published on mastodon: http") }
            }
            // A second press of the same button publishes nothing more.
            #expect(try await deployment.press(deployment.previewButtons(for: post)!["Confirm"]!, updateID: 202) == 200)
            try await Task.sleep(for: .milliseconds(500))
            #expect(deployment.mastodon.ledger.posts.count == 1)
        }
    }

    @Test func onWhatsAppAChatMessageBecomesADraftWithReplyButtonsAndConfirmingPublishesWithANotice() async throws {
        try await Deployment.with { deployment in
            let ask = WhatsAppSetup.text("Please post about our lily market on mastodon", id: "wamid.ask")
            #expect(try await deployment.whatsAppSays([ask]) == 200)
            try await eventually("the preview with reply buttons") { deployment.whatsApp.sent.contains { !$0.buttons.isEmpty } }
            let preview = try #require(deployment.whatsApp.sent.first { !$0.buttons.isEmpty })
            #expect(preview.body.hasPrefix("Draft for mastodon") && preview.body.contains("lily market"))
            let confirm = try #require(preview.buttons["Confirm"])
            let post = try #require(UUID(uuidString: String(confirm.dropFirst("post:confirm:".count))))
            #expect(try await deployment.posts.post(post, tenant: deployment.tenant)?.status == .draft)
            #expect(deployment.mastodon.ledger.posts.isEmpty)

            let press =
                #"{"from":"\#(WhatsAppSetup.customer)","id":"wamid.press","timestamp":"1749416390","type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"\#(confirm)","title":"Confirm"}}}"#
            #expect(try await deployment.whatsAppSays([press]) == 200)
            try await eventually("the post on Mastodon") { deployment.mastodon.ledger.posts.count == 1 }
            #expect(deployment.mastodon.ledger.posts.first?.text.contains("lily market") == true)
            try await eventually("the notice in the chat") { deployment.whatsApp.sent.contains { $0.body.hasPrefix("Published on mastodon: http") } }
            #expect(deployment.whatsApp.sent.allSatisfy { $0.to == WhatsAppSetup.customer })
        }
    }

    /// Gateway (messaging and publishing routes), delivery and publish workers, a fake Telegram and
    /// a fake Mastodon, and a Telegram chat linked to the tenant's user.
    struct Deployment: Sendable {
        let port: Int
        let webhook: String
        let secret: String
        let apiKey: String
        let tenant: TenantID
        let conversation: UUID
        let http: HTTPClient
        let posts: PostStore
        let telegram: FakeTelegram
        let mastodon: FakeMastodon
        let whatsApp: FakeWhatsApp
        /// The WhatsApp connection's webhook path; its customer is linked to the same person.
        let whatsAppWebhook: String

        static func with(_ body: @Sendable (Deployment) async throws -> Void) async throws {
            let logger = TestEnvironment.logger()
            let telegram = FakeTelegram()
            let whatsApp = FakeWhatsApp()
            let mastodon = FakeMastodon()
            let plugins = try PluginFixtures.directory(swift: ["Mastodon"], discord: false)
            try await withTestHTTPServer(router: telegram.router()) { telegramPort in
                try await withTestHTTPServer(router: whatsApp.router()) { whatsAppPort in
                    try await withTestHTTPServer(router: mastodon.router()) { mastodonPort in
                        try await TestDatabase.with(logger: logger) { database in
                            try await withTestRedis(logger: logger) { (redis) async throws in
                                let masterKey = try SymmetricKey(bytes: Array(repeating: 5, count: 32))
                                let created = try await TenantStore(pool: database.app).createTenant(name: "Acme")
                                let tenant = created.tenantID
                                try await SocialAccountStore(pool: database.app, masterKey: masterKey).put(
                                    SocialAccount(
                                        id: UUID(), platform: "mastodon", accountID: mastodon.accountID, baseURL: "http://127.0.0.1:\(mastodonPort)",
                                        settings: [:], accessToken: mastodon.token, expiresAt: nil, status: .connected, statusReason: nil),
                                    tenant: tenant)
                                let (deliveryStage, publishStage) = (TestEnvironment.uniqueName("delivery"), TestEnvironment.uniqueName("publish"))
                                let routerStage = TestEnvironment.uniqueName("router")
                                let intakeStage = TestEnvironment.uniqueName("intake")
                                let messaging = MessagingConfiguration(
                                    publicBaseURL: "https://leopost.example", telegramAPIBaseURL: "http://127.0.0.1:\(telegramPort)",
                                    whatsAppAPIBaseURL: "http://127.0.0.1:\(whatsAppPort)/v21.0")
                                try await HTTPClient.withHTTPClient(configuration: TestEnvironment.httpConfiguration(), logger: logger) { http in
                                    let registry = PluginRegistry(configuration: .init(directory: plugins), http: http, logger: logger)
                                    registry.scan()
                                    let gateway = Gateway(
                                        dependencies: .init(
                                            redis: redis, postgres: database.app, signer: JWTSigner(secret: Array(repeating: 1, count: 32)),
                                            metrics: GatewayMetrics()),
                                        maxBodyBytes: 64 * 1024)
                                    let publishing = PublishingModule(
                                        redis: redis, postgres: database.app, masterKey: masterKey, plugins: registry, maxBodyBytes: 64 * 1024,
                                        logger: logger, policyRules: TestEnvironment.policyRules(),
                                        publishStage: publishStage, deliveryStage: deliveryStage)
                                    gateway.api.addRoutes(publishing.routes)
                                    let messagingModule = MessagingModule(
                                        redis: redis, postgres: database.app, http: http, masterKey: masterKey, configuration: messaging,
                                        maxBodyBytes: 64 * 1024, logger: logger, intakeStage: intakeStage)
                                    gateway.router.addRoutes(messagingModule.webhookRoutes)
                                    gateway.api.addRoutes(messagingModule.routes)
                                    let fast = StageWorker.Configuration(
                                        concurrency: 4, visibilityTimeout: .seconds(5), readBlock: .milliseconds(100),
                                        promoteInterval: .milliseconds(50),
                                        retry: RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(100)))
                                    let intake = StageWorker(
                                        stage: intakeStage, redis: redis,
                                        handler: MessagingModule.intake(
                                            redis: redis, postgres: database.app, http: http, masterKey: masterKey, configuration: messaging,
                                            logger: logger, publisher: publishing.publisher, routerStage: routerStage, deliveryStage: deliveryStage),
                                        configuration: fast, logger: logger)
                                    let delivery = StageWorker(
                                        stage: deliveryStage, redis: redis,
                                        handler: DeliveryStage(
                                            adapters: MessagingModule.adapters(
                                                postgres: database.app, http: http, masterKey: masterKey, configuration: messaging),
                                            deliveries: DeliveryStore(pool: database.app), conversations: ConversationStore(pool: database.app),
                                            logger: logger),
                                        configuration: fast, logger: logger)
                                    let publisher = StageWorker(
                                        stage: publishStage, redis: redis,
                                        handler: PublishStage(
                                            dependencies: .init(
                                                posts: PostStore(pool: database.app),
                                                accounts: SocialAccountStore(pool: database.app, masterKey: masterKey),
                                                registry: registry, events: ConversationEventLog(redis: redis), redis: redis,
                                                scheduler: PostScheduler(redis: redis, stage: publishStage, logger: logger),
                                                notices: PostNotices(
                                                    conversations: ConversationStore(pool: database.app),
                                                    delivery: StageQueue(stage: deliveryStage, redis: redis))),
                                            maxAttempts: 4, logger: logger),
                                        configuration: fast, logger: logger)
                                    let scheduler = PostScheduler(redis: redis, stage: publishStage, interval: .milliseconds(20), logger: logger)
                                    // The router answers on the offline provider, with the publishing tools: a chat
                                    // message asking for a post becomes a draft shown with buttons.
                                    let builder = PolicyChainBuilder(http: http, environment: [:], breaker: CircuitBreaker(redis: redis))
                                    let tools = PublishingTools(
                                        publisher: publishing.publisher, posts: PostStore(pool: database.app),
                                        accounts: SocialAccountStore(pool: database.app, masterKey: masterKey),
                                        conversations: ConversationStore(pool: database.app), registry: registry)
                                    let router = StageWorker(
                                        stage: routerStage, redis: redis,
                                        handler: ChatRouter(
                                            dependencies: .init(
                                                conversations: ConversationStore(pool: database.app), brands: BrandStore(pool: database.app),
                                                feedback: FeedbackStore(pool: database.app),
                                                policies: PolicyStore(pool: database.app, rules: TestEnvironment.policyRules()),
                                                usage: UsageStore(pool: database.app), events: ConversationEventLog(redis: redis),
                                                ledger: BudgetLedger(redis: redis), delivery: StageQueue(stage: deliveryStage, redis: redis),
                                                users: UserStore(pool: database.app), tools: ToolBox(tools.all)),
                                            chains: { task, policy, tenant in
                                                builder.chain(for: task, policy: policy, tenant: tenant.description).chain
                                            },
                                            configuration: .init(
                                                channels: ChannelCatalog(
                                                    MessagingModule.adapters(
                                                        postgres: database.app, http: http, masterKey: masterKey, configuration: messaging))),
                                            logger: logger),
                                        configuration: fast, logger: logger)
                                    try await withTestHTTPServer(router: gateway.router) { port in
                                        try await withRunningServices([intake, delivery, publisher, scheduler, router], logger: logger) {
                                            let (webhook, secret) = try await connectTelegram(
                                                port: port, apiKey: created.apiKey, http: http, telegram: telegram)
                                            let whatsAppWebhook = try await connectWhatsApp(
                                                port: port, apiKey: created.apiKey, http: http, whatsApp: whatsApp)
                                            // The chat is linked to alice, and has a conversation.
                                            let user = try await UserStore(pool: database.app).resolve(name: "alice", tenant: tenant)
                                            try await IdentityStore(pool: database.app).link(
                                                channel: "telegram", externalID: chat, to: user, tenant: tenant)
                                            try await IdentityStore(pool: database.app).link(
                                                channel: "whatsapp", externalID: WhatsAppSetup.customer, to: user, tenant: tenant)
                                            let connection = try #require(
                                                try await ChannelConnectionStore(pool: database.app, masterKey: masterKey).connections(tenant: tenant)
                                                    .first { $0.channel == "telegram" })
                                            let conversation = try await ConversationStore(pool: database.app).thread(
                                                chat, channel: "telegram", connectionID: connection.id, userID: user, tenant: tenant)
                                            try await body(
                                                Deployment(
                                                    port: port, webhook: webhook, secret: secret, apiKey: created.apiKey, tenant: tenant,
                                                    conversation: conversation.id, http: http, posts: PostStore(pool: database.app),
                                                    telegram: telegram,
                                                    mastodon: mastodon, whatsApp: whatsApp, whatsAppWebhook: whatsAppWebhook))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        static func connectTelegram(port: Int, apiKey: String, http: HTTPClient, telegram: FakeTelegram) async throws -> (String, String) {
            let response = try await http.execute(
                HTTPClientRequest(
                    method: "POST", url: "http://127.0.0.1:\(port)/v1/channels",
                    headers: ["Authorization": "Bearer \(apiKey)", "Content-Type": "application/json"],
                    body: Array(#"{"kind":"telegram","name":"main","credentials":{"bot_token":"\#(telegram.token)"}}"#.utf8)))
            let body = String(decoding: response.body, as: UTF8.self)
            guard response.status == 201, let url = ChatHarness.field("webhook_url", in: body),
                let secret = telegram.calls.first(where: { $0.method == "setWebhook" })?.object["secret_token"] as? String
            else { throw HarnessError("could not connect Telegram: \(response.status) \(body)") }
            return (String(url.dropFirst("https://leopost.example".count)), secret)
        }

        static func connectWhatsApp(port: Int, apiKey: String, http: HTTPClient, whatsApp: FakeWhatsApp) async throws -> String {
            let response = try await http.execute(
                HTTPClientRequest(
                    method: "POST", url: "http://127.0.0.1:\(port)/v1/channels",
                    headers: ["Authorization": "Bearer \(apiKey)", "Content-Type": "application/json"],
                    body: Array(
                        #"""
                        {"kind":"whatsapp","name":"sales","credentials":{"verify_token":"\#(WhatsAppSetup.verifyToken)","app_secret":"\#(WhatsAppSetup.appSecret)","access_token":"\#(whatsApp.accessToken)"},
                         "settings":{"phone_number_id":"\#(WhatsAppSetup.phoneNumberID)"}}
                        """#.utf8)))
            let body = String(decoding: response.body, as: UTF8.self)
            guard response.status == 201, let url = ChatHarness.field("webhook_url", in: body) else {
                throw HarnessError("could not connect WhatsApp: \(response.status) \(body)")
            }
            return String(url.dropFirst("https://leopost.example".count))
        }

        /// Posts `messages` to the WhatsApp webhook, signed with the app secret as Meta signs them.
        func whatsAppSays(_ messages: [String]) async throws -> Int {
            let body = WhatsAppSetup.envelope(messages: messages)
            let signature = "sha256=" + Hex.encode(HMACSHA256.authenticationCode(for: Array(body.utf8), key: Array(WhatsAppSetup.appSecret.utf8)))
            return try await http.execute(
                HTTPClientRequest(
                    method: "POST", url: "http://127.0.0.1:\(port)\(whatsAppWebhook)",
                    headers: ["Content-Type": "application/json", "X-Hub-Signature-256": signature], body: Array(body.utf8))
            ).status
        }

        /// Drafts a post for Mastodon, for this chat's conversation unless `inConversation` is false.
        func draft(_ text: String, scheduledAt: Date? = nil, inConversation: Bool = true) async throws -> UUID {
            var object: [String: Any] = ["text": text, "platforms": ["mastodon"]]
            if inConversation { object["conversation_id"] = conversation.uuidString }
            if let scheduledAt { object["scheduled_at"] = scheduledAt.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)) }
            let response = try await http.execute(
                HTTPClientRequest(
                    method: "POST", url: "http://127.0.0.1:\(port)/v1/posts",
                    headers: ["Authorization": "Bearer \(apiKey)", "Content-Type": "application/json"],
                    body: Array(try JSONSerialization.data(withJSONObject: object))))
            let body = String(decoding: response.body, as: UTF8.self)
            guard response.status == 201, let id = ChatHarness.field("id", in: body).flatMap(UUID.init(uuidString:)) else {
                throw HarnessError("could not draft: \(response.status) \(body)")
            }
            return id
        }

        /// The buttons (title → data) under the preview of `post` that the bot sent, if it has.
        func previewButtons(for post: UUID) -> [String: String]? {
            let marker = post.uuidString.lowercased()
            for call in telegram.calls where call.method == "sendMessage" {
                guard let markup = call.object["reply_markup"] as? [String: Any], let rows = markup["inline_keyboard"] as? [[[String: Any]]] else {
                    continue
                }
                let buttons = rows.flatMap { $0 }
                guard buttons.contains(where: { ($0["callback_data"] as? String)?.hasSuffix(marker) == true }) else { continue }
                return Dictionary(
                    buttons.compactMap { button in
                        (button["text"] as? String).flatMap { text in (button["callback_data"] as? String).map { (text, $0) } }
                    }, uniquingKeysWith: { first, _ in first })
            }
            return nil
        }

        /// Sends a text message to the bot, as the linked person.
        func say(_ text: String, updateID: Int) async throws -> Int {
            try await http.execute(
                HTTPClientRequest(
                    method: "POST", url: "http://127.0.0.1:\(port)\(webhook)",
                    headers: ["Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret],
                    body: Array(TelegramUpdates.text(text, updateID: updateID).utf8))
            ).status
        }

        /// The posts the bot has shown previews of, in order.
        var previewedPosts: [UUID] {
            telegram.calls.compactMap { call -> UUID? in
                guard call.method == "sendMessage", let markup = call.object["reply_markup"] as? [String: Any],
                    let rows = markup["inline_keyboard"] as? [[[String: Any]]],
                    let data = rows.flatMap({ $0 }).compactMap({ $0["callback_data"] as? String }).first(where: { $0.hasPrefix("post:confirm:") })
                else { return nil }
                return UUID(uuidString: String(data.dropFirst("post:confirm:".count)))
            }
        }

        /// Presses a button: the callback query Telegram sends to the webhook.
        func press(_ data: String, updateID: Int) async throws -> Int {
            try await http.execute(
                HTTPClientRequest(
                    method: "POST", url: "http://127.0.0.1:\(port)\(webhook)",
                    headers: ["Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret],
                    body: Array(TelegramUpdates.callback(updateID: updateID, data: data).utf8))
            ).status
        }
    }
}
