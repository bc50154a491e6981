public import LeopostCore
import Synchronization

/// An in-process provider that answers each call with the next step of a script (the last step
/// repeats), and remembers every request: for the router's tool loop, where the test decides
/// exactly which tools the "model" calls and when. The wire formats of tool calls are tested
/// against each provider's fake in ProvidersTests.
public final class StepScriptProvider: AIProvider, Sendable {
    public let kind = "openai"
    private let steps: [[ChatEvent]]
    private let seen = Mutex<[ChatRequest]>([])

    /// Creates a provider answering call `n` with `steps[n]`.
    public init(_ steps: [[ChatEvent]]) {
        self.steps = steps
    }

    /// The requests received so far.
    public var requests: [ChatRequest] { seen.withLock { $0 } }

    public func stream(_ request: ChatRequest) async throws -> AsyncThrowingStream<ChatEvent, any Error> {
        let index = seen.withLock { requests in
            requests.append(request)
            return requests.count - 1
        }
        let events = steps.isEmpty ? [] : steps[min(index, steps.count - 1)]
        return AsyncThrowingStream { continuation in
            for event in events { continuation.yield(event) }
            continuation.finish()
        }
    }

    /// A step that calls `name` with `arguments` (JSON text), streamed in two pieces like a real model.
    public static func call(_ name: String, _ arguments: String, id: String = "call_1") -> [ChatEvent] {
        let half = arguments.index(arguments.startIndex, offsetBy: arguments.count / 2)
        return [
            .toolCall(ToolCallDelta(index: 0, id: id, name: name, arguments: String(arguments[..<half]))),
            .toolCall(ToolCallDelta(index: 0, arguments: String(arguments[half...]))),
            .usage(TokenUsage(input: 50, output: 20)), .finished(.toolCalls),
        ]
    }

    /// A step that answers with `text`.
    public static func text(_ text: String) -> [ChatEvent] {
        [.delta(text), .usage(TokenUsage(input: 60, output: 10)), .finished(.stop)]
    }
}
