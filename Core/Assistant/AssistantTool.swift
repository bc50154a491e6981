/// Something the assistant can do from the chat when the model asks for it: draft a post, list
/// the scheduled ones, move one, cancel one.
///
/// A tool runs with the rights of the person whose message is being answered (``ToolContext``),
/// never the workspace's API key: it sees what that person's chat token would see. Arguments come
/// from the model and are untrusted; a problem with them is thrown as ``ToolError``, which goes
/// back to the model so it can correct itself, never to the person as a crash.
public protocol AssistantTool: Sendable {
    /// The name, description and argument schema the model is shown.
    var definition: ToolDefinition { get }

    /// A short line the page shows while the tool runs ("Drafting a post for LinkedIn…"),
    /// from the arguments the model gave (which may be wrong: the line must not rely on them).
    func label(for arguments: [String: JSONValue]) -> String

    /// Runs the tool; the result is JSON the model reads.
    /// - Throws: ``ToolError`` for anything the model can fix or should tell the person.
    func run(_ arguments: [String: JSONValue], context: ToolContext) async throws -> JSONValue
}
