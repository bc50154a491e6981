import LeopostCore

/// The Gemini API's `streamGenerateContent?alt=sse` wire format, as Google documents it.
enum GeminiWire {
    /// One part of a turn: text, an inline image, the model's `functionCall`, or the
    /// `functionResponse` answering it. `thoughtSignature` sits beside a call, not inside it, and
    /// must go back exactly as it came; `thought` parts are the model's reasoning, never answer text.
    struct Part: Codable {
        struct InlineData: Codable {
            var mimeType: String
            var data: String
        }
        struct FunctionCall: Codable {
            var id: String?
            var name: String
            var args: JSONValue?
        }
        struct FunctionResponse: Codable {
            var id: String?
            var name: String
            var response: JSONValue
        }
        var text: String?
        var inlineData: InlineData?
        var functionCall: FunctionCall?
        var functionResponse: FunctionResponse?
        var thoughtSignature: String?
        var thought: Bool?
    }
    struct Content: Codable {
        var role: String?
        var parts: [Part]
    }
    /// `{"functionDeclarations": [{"name", "description", "parameters"}]}`.
    struct Tool: Encodable {
        struct FunctionDeclaration: Encodable {
            var name: String
            var description: String
            var parameters: JSONValue
        }
        var functionDeclarations: [FunctionDeclaration]
    }
    struct GenerationConfig: Encodable {
        var maxOutputTokens: Int
        var temperature: Double?
    }
    struct Request: Encodable {
        var contents: [Content]
        var systemInstruction: Content?
        var tools: [Tool]?
        var generationConfig: GenerationConfig
    }

    /// One `GenerateContentResponse` per SSE event.
    struct Response: Decodable {
        struct Candidate: Decodable {
            var content: Content?
            var finishReason: String?
        }
        struct UsageMetadata: Decodable {
            var promptTokenCount: Int?
            var candidatesTokenCount: Int?
            var cachedContentTokenCount: Int?
            var thoughtsTokenCount: Int?
        }
        struct PromptFeedback: Decodable { var blockReason: String? }
        var candidates: [Candidate]?
        var usageMetadata: UsageMetadata?
        var promptFeedback: PromptFeedback?
        var error: ErrorBody.Detail?
    }

    /// `{"error": {"code": 429, "message": "...", "status": "RESOURCE_EXHAUSTED"}}`.
    struct ErrorBody: Decodable {
        struct Detail: Decodable {
            var code: Int?
            var message: String?
            var status: String?
        }
        var error: Detail
    }
}
