import Foundation

/// A call of a tool the model made, whole: which tool, with which arguments.
///
/// The arguments are kept as the JSON text the model wrote, not parsed: text that is not JSON is
/// the model's mistake to be told about, and a provider gets back exactly what it produced.
public struct ToolCall: Sendable, Equatable {
    /// The provider's id for the call (`call_…`, `toolu_…`), which its result must name.
    public var id: String
    /// The tool's name.
    public var name: String
    /// The arguments, as JSON text.
    public var arguments: String
    /// An opaque token the provider wants back with the call (Gemini's `thoughtSignature`).
    public var signature: String?

    /// Creates a call.
    public init(id: String, name: String, arguments: String, signature: String? = nil) {
        self.id = id
        self.name = name
        self.arguments = arguments
        self.signature = signature
    }
}

/// A piece of a tool call as it streams: the first piece of a call names it, later pieces add to
/// its arguments. Providers that send a call whole send one piece with everything.
public struct ToolCallDelta: Sendable, Equatable {
    /// Which call of the answer this piece belongs to (0, 1, … in the order the calls started).
    public var index: Int
    /// The call's id, on its first piece.
    public var id: String?
    /// The tool's name, on its first piece.
    public var name: String?
    /// More of the arguments' JSON text.
    public var arguments: String
    /// The provider's opaque token for the call, when it sends one.
    public var signature: String?

    /// Creates a piece.
    public init(index: Int, id: String? = nil, name: String? = nil, arguments: String = "", signature: String? = nil) {
        self.index = index
        self.id = id
        self.name = name
        self.arguments = arguments
        self.signature = signature
    }
}

/// Puts streamed tool-call pieces back together, in the order the calls started.
public struct ToolCallAssembler: Sendable {
    private var byIndex: [Int: ToolCall] = [:]
    private var order: [Int] = []

    /// Creates an empty assembler.
    public init() {}

    /// Adds a piece.
    public mutating func add(_ delta: ToolCallDelta) {
        if byIndex[delta.index] == nil {
            order.append(delta.index)
            byIndex[delta.index] = ToolCall(id: "", name: "", arguments: "")
        }
        if let id = delta.id, !id.isEmpty { byIndex[delta.index]?.id = id }
        if let name = delta.name, !name.isEmpty { byIndex[delta.index]?.name = name }
        if let signature = delta.signature { byIndex[delta.index]?.signature = signature }
        byIndex[delta.index]?.arguments += delta.arguments
    }

    /// The calls so far; a call the provider gave no id gets `call_<index>`, so its result can name it.
    public var calls: [ToolCall] {
        order.compactMap { index in
            guard var call = byIndex[index] else { return nil }
            if call.id.isEmpty { call.id = "call_\(index)" }
            // A call without arguments streams none; `{}` is what it means, and what providers take back.
            if call.arguments.trimmingCharacters(in: .whitespaces).isEmpty { call.arguments = "{}" }
            return call
        }
    }

    /// Whether any call has started.
    public var isEmpty: Bool { order.isEmpty }
}
