/// The parts of the Bot API's `Update` that Leopost reads (https://core.telegram.org/bots/api#update).
/// Unknown fields are ignored; an update of another kind decodes with all three kinds `nil`.
struct TelegramUpdate: Codable, Sendable {
    let updateID: Int64
    let message: Message?
    let editedMessage: Message?
    let callbackQuery: CallbackQuery?

    enum CodingKeys: String, CodingKey {
        case updateID = "update_id", message, editedMessage = "edited_message", callbackQuery = "callback_query"
    }

    /// Who the update is from, whatever its kind.
    var sender: User? { callbackQuery?.from ?? message?.from ?? editedMessage?.from }

    /// The chat it belongs to (the sender's id when it names none), which orders it.
    var thread: String? {
        (callbackQuery?.message?.chat.id ?? message?.chat.id ?? editedMessage?.chat.id ?? sender?.id).map(String.init)
    }

    struct User: Codable, Sendable {
        let id: Int64
        let isBot: Bool?
        let firstName: String?
        enum CodingKeys: String, CodingKey { case id, isBot = "is_bot", firstName = "first_name" }
    }

    struct Chat: Codable, Sendable {
        let id: Int64
        let type: String?
    }

    struct PhotoSize: Codable, Sendable {
        let fileID: String
        let width: Int?
        enum CodingKeys: String, CodingKey { case fileID = "file_id", width }
    }

    struct Document: Codable, Sendable {
        let fileID: String
        let fileName: String?
        let mimeType: String?
        enum CodingKeys: String, CodingKey { case fileID = "file_id", fileName = "file_name", mimeType = "mime_type" }
    }

    struct Message: Codable, Sendable {
        let messageID: Int64
        let from: User?
        let chat: Chat
        let text: String?
        let caption: String?
        let photo: [PhotoSize]?
        let document: Document?
        enum CodingKeys: String, CodingKey { case messageID = "message_id", from, chat, text, caption, photo, document }
    }

    struct CallbackQuery: Codable, Sendable {
        let id: String
        let from: User
        let message: Message?
        let data: String?
    }
}
