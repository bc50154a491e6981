/// The tools offered to the model, and the one place a call of them is checked and run.
///
/// Everything the model can get wrong comes back as an error result it can read: a tool it was
/// not offered, arguments that are not JSON or not an object, arguments the tool refuses. Only a
/// cancelled run (the worker is stopping) is thrown.
public struct ToolBox: Sendable {
    private let tools: [any AssistantTool]

    /// Creates a box of `tools`; a later tool of the same name replaces an earlier one.
    public init(_ tools: [any AssistantTool]) {
        var seen: [String: Int] = [:]
        var kept: [any AssistantTool] = []
        for tool in tools {
            if let index = seen[tool.definition.name] {
                kept[index] = tool
            } else {
                seen[tool.definition.name] = kept.count
                kept.append(tool)
            }
        }
        self.tools = kept
    }

    /// No tools: the model answers with text only.
    public static let none = ToolBox([])

    /// What the model is shown.
    public var definitions: [ToolDefinition] { tools.map(\.definition) }

    /// Whether there is nothing to offer.
    public var isEmpty: Bool { tools.isEmpty }

    /// The tool called `name`.
    public func tool(named name: String) -> (any AssistantTool)? {
        tools.first { $0.definition.name == name }
    }

    /// What one call came to.
    public struct Outcome: Sendable, Equatable {
        /// The JSON the model reads.
        public var result: JSONValue
        /// The error's code when the call failed.
        public var error: ToolError.Code?
    }

    /// The line the page shows while `call` runs.
    public func label(for call: ToolCall) -> String {
        guard let tool = tool(named: call.name) else { return "Trying an unknown tool (\(call.name))…" }
        return tool.label(for: JSONValue.parse(call.arguments)?.objectValue ?? [:])
    }

    /// Checks and runs `call`.
    /// - Throws: `CancellationError` only.
    public func run(_ call: ToolCall, context: ToolContext) async throws -> Outcome {
        func failure(_ error: ToolError) -> Outcome { Outcome(result: error.result, error: error.code) }
        guard let tool = tool(named: call.name) else {
            let offered = tools.map(\.definition.name).joined(separator: ", ")
            return failure(ToolError(.unknownTool, "there is no tool named \(call.name); the tools are \(offered)"))
        }
        guard let value = JSONValue.parse(call.arguments) else {
            return failure(ToolError(.invalidArguments, "the arguments are not valid JSON; send one JSON object"))
        }
        guard let fields = value.objectValue else {
            return failure(ToolError(.invalidArguments, "the arguments must be a JSON object with the fields of the tool's schema"))
        }
        do {
            return Outcome(result: try await tool.run(fields, context: context), error: nil)
        } catch let error as ToolError {
            return failure(error)
        } catch {
            try Task.checkCancellation()
            return failure(
                ToolError(.unavailable, "Leopost could not do this just now (\(type(of: error))); tell the person and suggest trying again"))
        }
    }
}
