/// One request for an answer, in the shape every provider adapter translates to its own wire format.
public struct ChatRequest: Sendable, Equatable {
    /// Who said a message.
    public enum Role: String, Sendable, Codable {
        /// Instructions and context (brand, voice) for the model.
        case system
        /// The tenant's person.
        case user
        /// The model's earlier answers, and the tool calls it made.
        case assistant
        /// What a tool call returned (``Message/toolResult``).
        case tool
    }

    /// An image the model should see, with its bytes: providers take images inline.
    public struct Image: Sendable, Equatable {
        /// `image/jpeg`, `image/png`, `image/webp` or `image/gif`.
        public var mimeType: String
        /// The image file's bytes.
        public var data: [UInt8]

        /// Creates an image input.
        public init(mimeType: String, data: [UInt8]) {
            self.mimeType = mimeType
            self.data = data
        }
    }

    /// What a tool call returned, answering the call with `callID`.
    public struct ToolResult: Sendable, Equatable {
        /// The call answered (``ToolCall/id``).
        public var callID: String
        /// The tool's name (Gemini names the function, not the call).
        public var name: String
        /// The result, as JSON text the model reads.
        public var content: String
        /// Whether the call failed: the model should fix its arguments or tell the person.
        public var isError: Bool

        /// Creates a result.
        public init(callID: String, name: String, content: String, isError: Bool) {
            self.callID = callID
            self.name = name
            self.content = content
            self.isError = isError
        }
    }

    /// One turn of the conversation.
    public struct Message: Sendable, Equatable {
        /// Who said it.
        public var role: Role
        /// What was said (empty for a tool result, and for a model turn that only called tools).
        public var content: String
        /// Images the person sent with it (user messages only).
        public var images: [Image]
        /// The tools the model called in this turn (assistant messages only).
        public var toolCalls: [ToolCall]
        /// A tool call's result (tool messages only).
        public var toolResult: ToolResult?

        /// Creates a message.
        public init(role: Role, content: String, images: [Image] = [], toolCalls: [ToolCall] = [], toolResult: ToolResult? = nil) {
            self.role = role
            self.content = content
            self.images = images
            self.toolCalls = toolCalls
            self.toolResult = toolResult
        }

        /// The message with a note for each image instead of the image, for a model that cannot see
        /// images: it reads that something was sent and can say so.
        public var imagesAsNotes: Message {
            guard !images.isEmpty else { return self }
            var copy = self
            let note =
                images.count == 1 ? "[an image was attached, which you cannot see]" : "[\(images.count) images were attached, which you cannot see]"
            copy.content = content.isEmpty ? note : content + "\n\n" + note
            copy.images = []
            return copy
        }

        /// A tool's answer to one call.
        public static func tool(_ result: ToolResult) -> Message {
            Message(role: .tool, content: result.content, toolResult: result)
        }
    }

    /// The provider's model name (`gpt-4o-mini`, `claude-sonnet-4-5`, ...).
    public var model: String
    /// The conversation so far, system message first.
    public var messages: [Message]
    /// The most tokens the answer may have; also what a budget reserves for the worst case.
    public var maxTokens: Int
    /// Sampling temperature, when the policy sets one.
    public var temperature: Double?
    /// The tools the model may call; none means a text answer only.
    public var tools: [ToolDefinition]

    /// Creates a request.
    public init(model: String, messages: [Message], maxTokens: Int = 1024, temperature: Double? = nil, tools: [ToolDefinition] = []) {
        self.model = model
        self.messages = messages
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.tools = tools
    }
}
