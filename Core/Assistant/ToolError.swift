/// A tool call that could not be carried out, in words the model can act on: the result of the
/// call says so, and the model fixes its arguments or tells the person.
public struct ToolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why, as a stable code.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The model called a tool it was not offered.
        public static let unknownTool = Code(rawValue: "unknown_tool")
        /// The arguments are not JSON, or not what the tool's schema asks for.
        public static let invalidArguments = Code(rawValue: "invalid_arguments")
        /// The arguments were well formed but the request cannot be met (too long, in the past, no account).
        public static let refused = Code(rawValue: "refused")
        /// No such post, or not one of this person's.
        public static let notFound = Code(rawValue: "not_found")
        /// The post is not in a state that allows it (already out, cancelled).
        public static let conflict = Code(rawValue: "conflict")
        /// Something on Leopost's side failed; trying again later may work.
        public static let unavailable = Code(rawValue: "unavailable")
    }

    /// Why.
    public var code: Code
    /// What was wrong and how to fix it.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    /// The error as the tool's result: `{"error": {"code": …, "message": …}}`.
    public var result: JSONValue {
        ["error": ["code": .string(code.rawValue), "message": .string(message)]]
    }
}
