/// The Messages API wire format (`POST /v1/messages` with `stream: true`), as Anthropic documents it.
enum AnthropicWire {
    struct Request: Encodable {
        struct Message: Encodable {
            var role: String
            var content: String
        }
        var model: String
        var max_tokens: Int
        var system: String?
        var messages: [Message]
        var temperature: Double?
        var stream: Bool
    }

    struct Usage: Decodable {
        var input_tokens: Int?
        var output_tokens: Int?
        var cache_read_input_tokens: Int?
    }

    /// Every streamed event's `data`, with the fields any event type may carry.
    struct Event: Decodable {
        struct Message: Decodable { var usage: Usage? }
        struct Delta: Decodable {
            var type: String?
            var text: String?
            var stop_reason: String?
        }
        var type: String
        var message: Message?
        var delta: Delta?
        var usage: Usage?
        var error: ErrorBody.Detail?
    }

    /// `{"type": "error", "error": {"type": "overloaded_error", "message": "..."}}`.
    struct ErrorBody: Decodable {
        struct Detail: Decodable {
            var type: String
            var message: String?
        }
        var error: Detail
    }
}
