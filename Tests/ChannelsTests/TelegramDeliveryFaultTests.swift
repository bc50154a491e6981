import Foundation
import LeopostChannels
import LeopostCore
import LeopostTestSupport
import Testing

/// What a chat app does to a delivery that a retry must not make worse: a message taken whose
/// answer never came back, and the draft the person deleted before the answer was complete.
@Suite("Telegram delivery under faults: nothing sent twice, nothing lost to a deleted draft")
struct TelegramDeliveryFaultTests {
    static let chat = "\(TelegramUpdates.chatID)"

    @Test func aSendWhoseAnswerIsLostIsRecordedUnconfirmedAndNotSentAgain() async throws {
        let long = String(repeating: "Spring is here and our garden shop has tulips for everyone. ", count: 160)
        let provider = ScriptedProvider(pieces: [long])
        let chains: ChatRouter.ChainFactory = { _, _, _ in ProviderChain(entries: [.init(name: "long", provider: provider, model: "m")]) }
        var http = TestEnvironment.httpConfiguration()
        http.firstByteTimeout = .seconds(2)
        try await TelegramSetup.with(chains: chains, http: http) { telegram in
            try await telegram.link(updateID: 1)
            let before = telegram.fake.sentTexts(to: Self.chat).count
            // The first sendMessage is the draft; the second (the answer's second piece) is sent, and its answer comes too late.
            telegram.fake.holdAnswer(of: "sendMessage", skipping: 1, for: .seconds(5))
            #expect(try await telegram.post(TelegramUpdates.text("write a long one", updateID: 2)) == 200)
            let expected = TelegramFormatter().pieces(long)
            #expect(expected.count >= 3)
            try await eventually("every piece", timeout: .seconds(30)) {
                let states = try await Self.states(telegram)
                return states.count == expected.count && !states.values.contains("sending")
            }
            try await Task.sleep(for: .seconds(5))
            #expect(Array(telegram.fake.sentTexts(to: Self.chat).dropFirst(before)) == expected, "each piece once, in order")
            #expect(try await Self.states(telegram)[1] == "unconfirmed")
            #expect(try await Self.states(telegram).filter { $0.key != 1 }.values.allSatisfy { $0 == "sent" })
        }
    }

    @Test func aDraftDeletedBeforeTheFinalEditIsReplacedByTheWholeAnswer() async throws {
        let provider = ScriptedProvider(pieces: ["Tulips ", "are ", "back ", "this ", "spring."], pause: .milliseconds(500))
        let chains: ChatRouter.ChainFactory = { _, _, _ in ProviderChain(entries: [.init(name: "paced", provider: provider, model: "m")]) }
        try await TelegramSetup.with(chains: chains) { telegram in
            try await telegram.link(updateID: 1)
            // The person deletes the draft as soon as it shows.
            telegram.fake.deleteNextSentMessage()
            let before = telegram.fake.sentTexts(to: Self.chat)
            #expect(try await telegram.post(TelegramUpdates.text("news?", updateID: 2)) == 200)
            try await eventually("the whole answer, recorded", timeout: .seconds(20)) {
                try await Self.states(telegram) == [0: "sent"]
            }
            #expect(telegram.fake.sentTexts(to: Self.chat) == before + ["Tulips are back this spring."])
        }
    }

    /// The delivery state of each piece of the answer (the only one these tests ask for), by piece.
    static func states(_ telegram: TelegramSetup) async throws -> [Int: String] {
        try await telegram.chat.database.app.withTenantTransaction(telegram.chat.tenant.tenantID.rawValue) { connection in
            Dictionary(
                try connection.query(
                    "SELECT d.piece, d.status FROM message_deliveries d JOIN messages m ON m.id = d.message_id WHERE m.reply_to IS NOT NULL"
                ).map {
                    (try $0.decode(Int.self, column: "piece"), try $0.decode(String.self, column: "status"))
                }
            ) { first, _ in first }
        }
    }
}
