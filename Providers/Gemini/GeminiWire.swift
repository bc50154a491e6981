/// The Gemini API's `streamGenerateContent?alt=sse` wire format, as Google documents it.
enum GeminiWire {
    struct Part: Codable { var text: String? }
    struct Content: Codable {
        var role: String?
        var parts: [Part]
    }
    struct GenerationConfig: Encodable {
        var maxOutputTokens: Int
        var temperature: Double?
    }
    struct Request: Encodable {
        var contents: [Content]
        var systemInstruction: Content?
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
