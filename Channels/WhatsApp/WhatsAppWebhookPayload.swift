/// The parts of the Cloud API's webhook body that Leopost reads. Every element is decoded on its
/// own (`Lenient`), so one message of an unknown shape is skipped without losing its neighbours.
struct WhatsAppWebhookPayload: Decodable, Sendable {
    let entry: [Entry]?

    struct Entry: Decodable, Sendable {
        let changes: [Lenient<Change>]?
    }

    struct Change: Decodable, Sendable {
        let field: String?
        let value: Value?
    }

    struct Value: Decodable, Sendable {
        let messages: [Lenient<Message>]?
        let statuses: [Lenient<Status>]?
    }

    struct Message: Codable, Sendable {
        let from: String
        let id: String
        let type: String
        let text: Text?
        let image: Media?
        let document: Media?
        let interactive: Interactive?
        let button: Button?
        let reaction: Reaction?

        struct Text: Codable, Sendable { let body: String }
        struct Media: Codable, Sendable {
            let id: String
            let mimeType: String?
            let caption: String?
            enum CodingKeys: String, CodingKey { case id, mimeType = "mime_type", caption }
        }
        struct Reply: Codable, Sendable {
            let id: String
            let title: String
        }
        struct Interactive: Codable, Sendable {
            let type: String
            let buttonReply: Reply?
            let listReply: Reply?
            enum CodingKeys: String, CodingKey { case type, buttonReply = "button_reply", listReply = "list_reply" }
        }
        struct Button: Codable, Sendable {
            let payload: String?
            let text: String
        }
        struct Reaction: Codable, Sendable {
            let messageID: String
            let emoji: String?
            enum CodingKeys: String, CodingKey { case messageID = "message_id", emoji }
        }
    }

    struct Status: Codable, Sendable {
        let id: String
        let status: String
        let errors: [Failure]?

        struct Failure: Codable, Sendable {
            let code: Int
            let title: String?
            let errorData: Details?
            enum CodingKeys: String, CodingKey { case code, title, errorData = "error_data" }
            struct Details: Codable, Sendable { let details: String? }
        }
    }
}

/// An element that may fail to decode without failing its array.
struct Lenient<Wrapped: Decodable & Sendable>: Decodable, Sendable {
    let value: Wrapped?

    init(from decoder: any Decoder) throws {
        value = try? Wrapped(from: decoder)
    }
}

/// One WhatsApp event as queued for the intake stage: a message, or a delivery status.
struct WhatsAppEvent: Codable, Sendable {
    var message: WhatsAppWebhookPayload.Message?
    var status: WhatsAppWebhookPayload.Status?
}
