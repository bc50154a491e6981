/// The two things the webhook needs from an update before queueing it: its `update_id` (it is
/// queued once) and its chat (which orders it). The intake stage decodes the whole update.
///
/// Decoding only these keys is what keeps the webhook cheap: the full ``TelegramUpdate`` was the
/// largest cost of the webhook route (8% of the gateway's CPU under `make bench`, perf).
struct TelegramUpdateRouting: Decodable, Sendable {
    let updateID: Int64
    let thread: String?

    private struct Party: Decodable { let id: Int64 }
    private struct Message: Decodable {
        let chat: Party
    }
    private struct CallbackQuery: Decodable {
        let from: Party
        let message: Message?
    }

    private enum CodingKeys: String, CodingKey {
        case updateID = "update_id", message, editedMessage = "edited_message", callbackQuery = "callback_query"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        updateID = try container.decode(Int64.self, forKey: .updateID)
        let callback = try container.decodeIfPresent(CallbackQuery.self, forKey: .callbackQuery)
        let message = try container.decodeIfPresent(Message.self, forKey: .message)
        let edited = try container.decodeIfPresent(Message.self, forKey: .editedMessage)
        // The same order as `TelegramUpdate.thread`: the chat, else the sender (a message always names its chat).
        thread = (callback?.message?.chat.id ?? message?.chat.id ?? edited?.chat.id ?? callback?.from.id).map(String.init)
    }
}
