import LeopostCore

/// The Messages API wire format (`POST /v1/messages` with `stream: true`), as Anthropic documents it.
enum AnthropicWire {
    struct Request: Encodable {
        struct Message: Encodable {
            var role: String
            var content: [Block]
        }
        /// A content block: `text`, `image` (base64 `source`), `tool_use` (the model's call, `input`
        /// an object) or `tool_result` (in a user turn, naming the call's `tool_use_id`).
        struct Block: Encodable {
            struct Source: Encodable {
                var type = "base64"
                var media_type: String
                var data: String
            }
            var type: String
            var text: String?
            var source: Source?
            var id: String?
            var name: String?
            var input: JSONValue?
            var tool_use_id: String?
            var content: String?
            var is_error: Bool?
        }
        struct Tool: Encodable {
            var name: String
            var description: String
            var input_schema: JSONValue
        }
        var model: String
        var max_tokens: Int
        var system: String?
        var messages: [Message]
        var temperature: Double?
        var tools: [Tool]?
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
            /// An `input_json_delta`'s piece of a tool call's input.
            var partial_json: String?
            var stop_reason: String?
        }
        /// `content_block_start`'s block: `{"type": "tool_use", "id": "toolu_…", "name": "…", "input": {}}`.
        struct ContentBlock: Decodable {
            var type: String
            var id: String?
            var name: String?
        }
        var type: String
        var index: Int?
        var content_block: ContentBlock?
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
