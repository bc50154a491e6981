import Foundation
import LeopostCore
import Testing

@testable import LeopostChannels

/// The webhook reads only an update's id and chat: the same chat the whole update names, for
/// every kind of update Leopost takes, and nothing for a body that is not an update.
@Suite("Telegram update routing")
struct TelegramUpdateRoutingTests {
    static let updates = [
        #"{"update_id":1,"message":{"message_id":5,"from":{"id":42,"is_bot":false},"chat":{"id":-100,"type":"group"},"text":"hi"}}"#,
        #"{"update_id":2,"edited_message":{"message_id":5,"chat":{"id":7},"text":"hi again"}}"#,
        #"{"update_id":3,"callback_query":{"id":"q","from":{"id":42},"message":{"message_id":9,"chat":{"id":77}},"data":"x"}}"#,
        #"{"update_id":4,"callback_query":{"id":"q","from":{"id":43},"data":"inline, no message"}}"#,
        #"{"update_id":5,"my_chat_member":{"chat":{"id":1}}}"#,
    ]

    @Test func theRoutingNamesTheSameChatAsTheWholeUpdate() throws {
        for text in Self.updates {
            let whole = try JSONCoding.decoder.decode(TelegramUpdate.self, from: Data(text.utf8))
            let routing = try JSONCoding.decoder.decode(TelegramUpdateRouting.self, from: Data(text.utf8))
            #expect(routing.updateID == whole.updateID)
            #expect(routing.thread == whole.thread, "\(text)")
        }
    }

    @Test func aBodyThatIsNotAnUpdateHasNoRouting() {
        for text in [#"{"message":{"chat":{"id":1}}}"#, "[]", "not json", #"{"update_id":"one"}"#] {
            #expect(throws: (any Error).self) { try JSONCoding.decoder.decode(TelegramUpdateRouting.self, from: Data(text.utf8)) }
        }
    }
}
