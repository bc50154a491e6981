import Foundation
import LeopostCore

/// The JSON shapes of the web chat's REST API (snake-case on the wire, see `JSONBody`).
enum WebChatPayloads {
    struct NewConversation: Decodable {
        var title: String?
    }

    struct NewMessage: Decodable {
        var text: String
        /// Images uploaded with `POST /v1/media`, by id; at most `MediaUploads.maxPerMessage`.
        var media: [String]?
        /// The client's own id for the message, like the `Idempotency-Key` header: a retry with it
        /// is the same message.
        var clientMessageId: String?
    }

    struct ConversationView: Encodable {
        var id: UUID
        var title: String
        var channel: String
        var createdAt: Date
        var updatedAt: Date

        init(_ conversation: Conversation) {
            id = conversation.id
            title = conversation.title
            channel = conversation.channel
            createdAt = conversation.createdAt
            updatedAt = conversation.updatedAt
        }
    }

    struct ConversationList: Encodable {
        var conversations: [ConversationView]
    }

    struct MessageView: Encodable {
        var id: UUID
        var direction: String
        var text: String
        var status: String
        var replyTo: UUID?
        var createdAt: Date
        var feedback: String?

        // Encoded by hand so absent values are written as null, which the page expects.
        enum CodingKeys: String, CodingKey { case id, direction, text, status, replyTo, createdAt, feedback }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(direction, forKey: .direction)
            try container.encode(text, forKey: .text)
            try container.encode(status, forKey: .status)
            try container.encode(replyTo, forKey: .replyTo)
            try container.encode(createdAt, forKey: .createdAt)
            try container.encode(feedback, forKey: .feedback)
        }
    }

    struct MessagePage: Encodable {
        var messages: [MessageView]
        var nextBefore: UUID?

        enum CodingKeys: String, CodingKey { case messages, nextBefore }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(messages, forKey: .messages)
            try container.encode(nextBefore, forKey: .nextBefore)
        }
    }

    struct LinkCode: Encodable {
        var code: String
        var expiresIn: Int
        var command: String
    }

    struct Accepted: Encodable {
        var messageId: UUID
    }
}
