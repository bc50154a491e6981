/// One request for an answer, in the shape every provider adapter translates to its own wire format.
public struct ChatRequest: Sendable, Equatable {
    /// Who said a message.
    public enum Role: String, Sendable, Codable {
        /// Instructions and context (brand, voice) for the model.
        case system
        /// The tenant's person.
        case user
        /// The model's earlier answers.
        case assistant
    }

    /// One turn of the conversation.
    public struct Message: Sendable, Equatable {
        /// Who said it.
        public var role: Role
        /// What was said.
        public var content: String

        /// Creates a message.
        public init(role: Role, content: String) {
            self.role = role
            self.content = content
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

    /// Creates a request.
    public init(model: String, messages: [Message], maxTokens: Int = 1024, temperature: Double? = nil) {
        self.model = model
        self.messages = messages
        self.maxTokens = maxTokens
        self.temperature = temperature
    }
}
