/// A source of answers: OpenAI and OpenAI-compatible servers, Anthropic, Gemini, or the offline
/// provider. Every adapter streams, so the router can show tokens as they come and stop paying
/// the moment the user goes away (cancelling the consuming task cancels the call).
///
/// Adapters report failures as `ProviderError`, mapped from the provider's typed error codes and
/// HTTP status, never from message text, because fallback and retry decisions are made on the code.
public protocol AIProvider: Sendable {
    /// The adapter's kind, as policies and usage records name it (`openai`, `anthropic`, ...).
    var kind: String { get }

    /// Starts a call; returns once the provider accepted it (an HTTP error is thrown here), then
    /// yields the answer's events. A failure mid-stream is thrown by the sequence.
    func stream(_ request: ChatRequest) async throws -> AsyncThrowingStream<ChatEvent, any Error>
}

extension AIProvider {
    /// Runs a call to the end and returns the whole text and tool calls with the last usage reported.
    /// For callers that do not stream (tests, drafts built in the background).
    public func complete(_ request: ChatRequest) async throws -> Completion {
        var completion = Completion()
        var calls = ToolCallAssembler()
        for try await event in try await stream(request) {
            switch event {
            case .delta(let piece): completion.text += piece
            case .toolCall(let piece): calls.add(piece)
            case .usage(let counted): completion.usage = counted
            case .finished(let reason): completion.finish = reason
            }
        }
        completion.toolCalls = calls.calls
        return completion
    }
}

/// A whole answer, read to its end.
public struct Completion: Sendable, Equatable {
    /// The text.
    public var text = ""
    /// The tools it called, in order.
    public var toolCalls: [ToolCall] = []
    /// The last usage reported.
    public var usage: TokenUsage?
    /// Why it stopped.
    public var finish: FinishReason?
}
