import LeopostCore

/// The Chat Completions wire format, as OpenAI documents it and compatible servers (vLLM,
/// llama.cpp server, Ollama, Groq, LiteLLM) accept it.
enum OpenAIWire {
    struct Request: Encodable {
        struct Message: Encodable {
            var role: String
            /// A string, or content parts when the message carries images; absent for a turn of only tool calls.
            var content: Content?
            var tool_calls: [ToolCall]?
            var tool_call_id: String?
        }
        /// `"text"`, or `[{"type": "text", ...}, {"type": "image_url", "image_url": {"url": "data:..."}}]`.
        enum Content: Encodable {
            case text(String)
            case parts([ContentPart])
            func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                switch self {
                case .text(let text): try container.encode(text)
                case .parts(let parts): try container.encode(parts)
                }
            }
        }
        struct ContentPart: Encodable {
            struct ImageURL: Encodable { var url: String }
            var type: String
            var text: String?
            var image_url: ImageURL?
        }
        struct ToolCall: Encodable {
            struct Function: Encodable {
                var name: String
                var arguments: String
            }
            var id: String
            var type = "function"
            var function: Function
        }
        struct Tool: Encodable {
            struct Function: Encodable {
                var name: String
                var description: String
                var parameters: JSONValue
            }
            var type = "function"
            var function: Function
        }
        struct StreamOptions: Encodable {
            var include_usage: Bool
        }
        var model: String
        var messages: [Message]
        var max_tokens: Int
        var temperature: Double?
        var tools: [Tool]?
        var stream: Bool
        var stream_options: StreamOptions
    }

    /// One `chat.completion.chunk`; the last one (with `include_usage`) has no choices and a usage.
    struct Chunk: Decodable {
        struct Choice: Decodable {
            struct Delta: Decodable {
                /// `{"index": 0, "id": "call_…", "type": "function", "function": {"name": "…", "arguments": ""}}`
                /// first, then `{"index": 0, "function": {"arguments": "…"}}` pieces.
                struct ToolCall: Decodable {
                    struct Function: Decodable {
                        var name: String?
                        var arguments: String?
                    }
                    var index: Int?
                    var id: String?
                    var function: Function?
                }
                var content: String?
                var tool_calls: [ToolCall]?
            }
            var delta: Delta?
            var finish_reason: String?
        }
        struct Usage: Decodable {
            struct PromptDetails: Decodable { var cached_tokens: Int? }
            struct CompletionDetails: Decodable { var reasoning_tokens: Int? }
            var prompt_tokens: Int
            var completion_tokens: Int
            var prompt_tokens_details: PromptDetails?
            var completion_tokens_details: CompletionDetails?
        }
        var choices: [Choice]?
        var usage: Usage?
        var error: ErrorBody.Detail?
    }

    /// `{"error": {"message", "type", "param", "code"}}`, in error responses and mid-stream.
    struct ErrorBody: Decodable {
        struct Detail: Decodable {
            var message: String?
            var type: String?
            var code: String?
        }
        var error: Detail
    }
}
