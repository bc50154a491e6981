import Foundation
import LeopostChannels
import LeopostCore
import LeopostTestSupport
import Testing

@Suite("Telegram: verified webhook, link flow, answers delivered once, within limits")
struct TelegramChannelTests {
    static let chat = "\(TelegramUpdates.chatID)"

    @Test func anUnlinkedSenderIsRefusedThenLinksAndEachUpdateIsAnsweredOnce() async throws {
        try await TelegramSetup.with { telegram in
            #expect(try await telegram.post(TelegramUpdates.text("hello", updateID: 1)) == 200)
            try await eventually("the refusal") { telegram.fake.sentTexts(to: Self.chat).contains { $0.contains("not linked") } }
            #expect(try await telegram.chat.storedMessages("inbound") == 0, "nothing from an unlinked sender is kept or answered")

            try await telegram.link(updateID: 2)
            #expect(try await telegram.post(TelegramUpdates.text("Draft a post about tulips", updateID: 3)) == 200)
            try await eventually("the answer") { telegram.fake.sentTexts(to: Self.chat).contains { $0.contains("tulips") } }
            try await eventually("the typing action") {
                telegram.fake.calls.contains { $0.method == "sendChatAction" && $0.object["action"] as? String == "typing" }
            }

            // Telegram delivers the same update again: accepted, not answered again.
            #expect(try await telegram.post(TelegramUpdates.text("Draft a post about tulips", updateID: 3)) == 200)
            try await Task.sleep(for: .milliseconds(500))
            #expect(telegram.fake.sentTexts(to: Self.chat).filter { $0.contains("tulips") }.count == 1)
            #expect(try await telegram.chat.storedMessages("inbound") == 1)
            // The conversation is the person's, visible in the web chat too.
            let list = try await telegram.chat.call("GET", "/v1/conversations", credential: try telegram.chat.token("alice"))
            #expect(list.body.contains(#""channel":"telegram""#))
        }
    }

    @Test func aWrongSecretIsRefusedAndOddUpdatesAreAcknowledged() async throws {
        try await TelegramSetup.with { telegram in
            #expect(try await telegram.post(TelegramUpdates.text("hi", updateID: 10), secret: "wrong") == 401)
            #expect(
                try await telegram.chat.call("POST", telegram.path, json: TelegramUpdates.text("hi", updateID: 11), credential: nil).status == 401)
            #expect(
                try await telegram.chat.call("POST", "/hooks/telegram/\(String(repeating: "a", count: 64))", json: "{}", credential: nil).status
                    == 404)
            #expect(try await telegram.chat.call("POST", "/hooks/telegram/nope", json: "{}", credential: nil).status == 404)
            // Bodies that are not updates, and kinds Leopost does not read, are acknowledged so Telegram stops retrying.
            #expect(try await telegram.post("{not json") == 200)
            #expect(try await telegram.post(#"{"update_id": 12, "poll": {"id": "1", "question": "?"}}"#) == 200)
            #expect(
                try await telegram.post(#"{"update_id": 13, "message": {"message_id": 1, "chat": {"id": 1, "type": "private"}, "sticker": {}}}"#)
                    == 200)
            // The update is queued as Telegram sent it: a body with more after the update is not one,
            // so nothing after it can reach the queued envelope (a second "tenant", say).
            let smuggled = TelegramUpdates.text("hi", updateID: 15) + #", "tenant": "00000000-0000-0000-0000-000000000001"}"#
            #expect(try await telegram.post(smuggled) == 200)
            #expect(try await telegram.post(TelegramUpdates.callback(updateID: 14, data: "post:confirm:1")) == 200)
            try await eventually("the press to be answered as stale") { telegram.fake.calls.contains { $0.method == "answerCallbackQuery" } }
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await telegram.chat.storedMessages("inbound") == 0)
            #expect(!telegram.fake.calls.contains { $0.method == "sendMessage" })
            #expect(try await StageQueue(stage: telegram.chat.intakeStage, redis: telegram.chat.redis).deadLetters().isEmpty)
        }
    }

    @Test func aTenThousandCharacterAnswerArrivesAsOrderedValidHTMLPiecesWithinTheLimit() async throws {
        let paragraph = "**Spring** is here & our <garden> shop has `tulips` for everyone. Visit https://example.com today! 🌷\n\n"
        let long = String(repeating: paragraph, count: 110) + "```\nlet tulips = 3 < 4\n```"
        #expect(long.count > 10_000)
        let provider = ScriptedProvider(pieces: [long])
        let chains: ChatRouter.ChainFactory = { _, _, _ in ProviderChain(entries: [.init(name: "long", provider: provider, model: "m")]) }
        try await TelegramSetup.with(chains: chains) { telegram in
            try await telegram.link(updateID: 1)
            let before = telegram.fake.sentTexts(to: Self.chat).count
            #expect(try await telegram.post(TelegramUpdates.text("write a long one", updateID: 2)) == 200)
            let expected = TelegramFormatter().pieces(long)
            #expect(expected.count >= 3)
            try await eventually("every piece") { telegram.fake.sentTexts(to: Self.chat).count - before >= expected.count }
            let pieces = Array(telegram.fake.sentTexts(to: Self.chat).dropFirst(before))
            #expect(pieces == expected)
            for piece in pieces {
                let visible = try TelegramHTML(piece).visible
                #expect(visible.unicodeScalars.count <= 4096 && visible.utf16.count <= 4096)
            }
            #expect(pieces.contains { $0.contains("&lt;garden&gt;") } && !pieces.contains { $0.contains("<garden>") })
        }
    }

    @Test func aRateLimitedSendWaitsForRetryAfterAndIsNotDropped() async throws {
        try await TelegramSetup.with { telegram in
            try await telegram.link(updateID: 1)
            telegram.fake.rateLimitNext("sendMessage", retryAfter: 1)
            let started = ContinuousClock.now
            #expect(try await telegram.post(TelegramUpdates.text("Draft a post about roses", updateID: 2)) == 200)
            try await eventually("the answer after the flood wait") { telegram.fake.sentTexts(to: Self.chat).contains { $0.contains("roses") } }
            #expect(ContinuousClock.now - started >= .seconds(1))
            #expect(telegram.fake.sentTexts(to: Self.chat).filter { $0.contains("roses") }.count == 1)
        }
    }
}

@Suite("Telegram without a public address: long polling")
struct TelegramPollingTests {
    static let chat = "\(TelegramUpdates.chatID)"

    @Test func updatesAreFetchedWithGetUpdatesAndAnsweredOnce() async throws {
        let fake = FakeTelegram()
        try await withTestHTTPServer(router: fake.router()) { fakePort in
            let messaging = MessagingConfiguration(
                publicBaseURL: nil, telegramAPIBaseURL: "http://127.0.0.1:\(fakePort)", whatsAppAPIBaseURL: "http://127.0.0.1:9/v21.0")
            try await ChatHarness.with(messaging: messaging) { chat in
                let created = try await chat.call(
                    "POST", "/v1/channels", json: #"{"kind":"telegram","name":"laptop","credentials":{"bot_token":"\#(fake.token)"}}"#,
                    credential: chat.tenant.apiKey)
                #expect(created.status == 201, "\(created.body)")
                #expect(ChatHarness.object(created.body)["polling"] as? Bool == true)
                #expect(fake.calls.contains { $0.method == "deleteWebhook" })
                #expect(!fake.calls.contains { $0.method == "setWebhook" })

                let code = try await chat.linkCode()
                fake.queueUpdate(TelegramUpdates.text("/link \(code)", updateID: 500))
                try await eventually("the linked reply") { fake.sentTexts(to: Self.chat).contains { $0.hasPrefix("Linked!") } }
                fake.queueUpdate(TelegramUpdates.text("Draft a post about daffodils", updateID: 501))
                try await eventually("the answer") { fake.sentTexts(to: Self.chat).contains { $0.contains("daffodils") } }
                // Telegram sends an update again (an offset that did not move): answered once.
                fake.queueUpdate(TelegramUpdates.text("Draft a post about daffodils", updateID: 501))
                try await Task.sleep(for: .milliseconds(1500))
                #expect(fake.sentTexts(to: Self.chat).filter { $0.contains("daffodils") }.count == 1)
                #expect(try await chat.storedMessages("inbound") == 1)
                // The offset confirms what was handled.
                let offsets = fake.calls.filter { $0.method == "getUpdates" }.compactMap { ($0.object["offset"] as? NSNumber)?.int64Value }
                #expect(offsets.contains(502))
            }
        }
    }

    @Test func aBotTokenTelegramRefusesIsNotStored() async throws {
        let fake = FakeTelegram()
        try await withTestHTTPServer(router: fake.router()) { fakePort in
            let messaging = MessagingConfiguration(
                publicBaseURL: nil, telegramAPIBaseURL: "http://127.0.0.1:\(fakePort)", whatsAppAPIBaseURL: "http://127.0.0.1:9/v21.0")
            try await ChatHarness.with(messaging: messaging) { chat in
                let refused = try await chat.call(
                    "POST", "/v1/channels", json: #"{"kind":"telegram","name":"laptop","credentials":{"bot_token":"999:wrong"}}"#,
                    credential: chat.tenant.apiKey)
                #expect(refused.status == 400, "\(refused.body)")
                let listed = try await chat.call("GET", "/v1/channels", credential: chat.tenant.apiKey)
                #expect(!listed.body.contains("laptop"))
            }
        }
    }
}

@Suite("Telegram: the answer shown while it is produced")
struct TelegramPartialAnswerTests {
    static let chat = "\(TelegramUpdates.chatID)"

    @Test func oneMessageGrowsThenHoldsTheWholeAnswer() async throws {
        let provider = ScriptedProvider(pieces: ["Tulips ", "are ", "back ", "this ", "spring."], pause: .milliseconds(500))
        let chains: ChatRouter.ChainFactory = { _, _, _ in ProviderChain(entries: [.init(name: "paced", provider: provider, model: "m")]) }
        try await TelegramSetup.with(chains: chains) { telegram in
            try await telegram.link(updateID: 1)
            let before = telegram.fake.sentTexts(to: Self.chat).count
            #expect(try await telegram.post(TelegramUpdates.text("news?", updateID: 2)) == 200)
            try await eventually("the whole answer") { telegram.fake.sentTexts(to: Self.chat).last == "Tulips are back this spring." }
            // One message for the answer: sent with the first words, edited as the rest came.
            #expect(telegram.fake.sentTexts(to: Self.chat).count - before == 1)
            let edits = telegram.fake.calls.filter { $0.method == "editMessageText" }
            #expect(!edits.isEmpty)
            let first = try #require(telegram.fake.calls.last { $0.method == "sendMessage" }?.object["text"] as? String)
            #expect(first != "Tulips are back this spring.", "the first words showed before the answer was complete")
        }
    }
}
