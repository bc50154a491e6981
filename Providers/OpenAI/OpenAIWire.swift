/// The Chat Completions wire format, as OpenAI documents it and compatible servers (vLLM,
/// llama.cpp server, Ollama, Groq, LiteLLM) accept it.
enum OpenAIWire {
    struct Request: Encodable {
        struct Message: Encodable {
            var role: String
            var content: String
        }
        struct StreamOptions: Encodable {
            var include_usage: Bool
        }
        var model: String
        var messages: [Message]
        var max_tokens: Int
        var temperature: Double?
        var stream: Bool
        var stream_options: StreamOptions
    }

    /// One `chat.completion.chunk`; the last one (with `include_usage`) has no choices and a usage.
    struct Chunk: Decodable {
        struct Choice: Decodable {
            struct Delta: Decodable {
                var content: String?
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
