/// What a provider's answer stream yields, in order: text and tool-call pieces, then usage and
/// the finish reason (a provider may report usage before or after finishing; both arrive before
/// the stream ends).
public enum ChatEvent: Sendable, Equatable {
    /// The next piece of the answer's text.
    case delta(String)
    /// The next piece of a tool call (``ToolCallAssembler`` puts them together).
    case toolCall(ToolCallDelta)
    /// Token counts so far. Providers that report cumulatively (Anthropic's `message_delta`) yield
    /// the running total, so the last `usage` event is the one to charge, never a sum.
    case usage(TokenUsage)
    /// The model stopped.
    case finished(FinishReason)
}

/// Tokens a call consumed, as the provider counted them.
public struct TokenUsage: Sendable, Equatable {
    /// Prompt tokens, cached ones included.
    public var input: Int
    /// Answer tokens, reasoning tokens included (priced as output).
    public var output: Int
    /// Prompt tokens served from the provider's cache (priced lower).
    public var cacheRead: Int
    /// Reasoning tokens within `output`, for reporting.
    public var reasoning: Int

    /// Creates a usage record.
    public init(input: Int, output: Int, cacheRead: Int = 0, reasoning: Int = 0) {
        self.input = input
        self.output = output
        self.cacheRead = cacheRead
        self.reasoning = reasoning
    }
}

/// Why the model stopped.
public enum FinishReason: String, Sendable, Equatable {
    /// It finished its answer.
    case stop
    /// It reached `maxTokens`.
    case length
    /// The provider's content filter cut it.
    case contentFilter
    /// It called tools and waits for their results.
    case toolCalls
    /// Anything else the provider reported.
    case other
}
