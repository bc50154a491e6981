/// A tool the model may call: its name, what it is for, and the JSON Schema of its arguments.
///
/// Every provider takes the same three things under different keys (OpenAI's `function`,
/// Anthropic's `input_schema`, Gemini's `functionDeclarations`), so a tool is described once.
/// Schemas stay within the subset all three accept: `type`, `description`, `properties`,
/// `required`, `items`, `enum`.
public struct ToolDefinition: Sendable, Equatable {
    /// The name the model calls it by (`draft_post`): letters, digits and `_`, as every provider allows.
    public var name: String
    /// What it does and when to use it, for the model.
    public var description: String
    /// The JSON Schema of its arguments: an object schema.
    public var parameters: JSONValue

    /// Creates a definition.
    public init(name: String, description: String, parameters: JSONValue) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }
}
