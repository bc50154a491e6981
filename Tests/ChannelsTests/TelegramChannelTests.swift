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
            #expect(telegram.fake.calls.contains { $0.method == "sendChatAction" && $0.object["action"] as? String == "typing" })

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
            #expect(try await telegram.post(TelegramUpdates.callback(updateID: 14, data: "post:confirm:1")) == 200)
            #expect(telegram.fake.calls.contains { $0.method == "answerCallbackQuery" })
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await telegram.chat.storedMessages("inbound") == 0)
            #expect(!telegram.fake.calls.contains { $0.method == "sendMessage" })
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
