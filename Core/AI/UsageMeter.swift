/// Follows an answer's events and says what to charge for it, even when the stream was cut short.
///
/// The provider's own count wins; the last `usage` event replaces earlier ones (Anthropic reports
/// cumulatively, so adding them up would double-charge). When the stream ends before the provider
/// reported output tokens, the output is estimated from the text received (about four characters a
/// token) and the record is marked estimated — a call that produced tokens is never charged zero.
public struct UsageMeter: Sendable {
    private var reported: TokenUsage?
    private var characters = 0
    private let estimatedInput: Int

    /// Starts metering a call whose prompt is estimated at `estimatedInputTokens`.
    public init(estimatedInputTokens: Int) {
        self.estimatedInput = estimatedInputTokens
    }

    /// Estimates a prompt's tokens from its text (about four characters a token, at least one per
    /// message), tool calls and the tools' descriptions included: they are all sent as input.
    public static func estimateTokens(of request: ChatRequest) -> Int {
        let messages = request.messages.reduce(0) { total, message in
            let calls = message.toolCalls.reduce(0) { $0 + $1.name.count + $1.arguments.count }
            return total + max(1, (message.content.count + calls + 3) / 4) + message.images.count * imageTokens
        }
        let tools = request.tools.reduce(0) { $0 + ($1.name.count + $1.description.count + $1.parameters.text.count + 3) / 4 }
        return messages + tools
    }

    /// What one image is reckoned at before the provider counts it (a 1024×1024 picture costs
    /// about 765 tokens at OpenAI and 1,400 at Anthropic; the larger is the safe side of a budget).
    public static let imageTokens = 1_500

    /// Takes one event of the answer.
    public mutating func observe(_ event: ChatEvent) {
        switch event {
        case .delta(let text): characters += text.count
        case .toolCall(let piece): characters += (piece.name?.count ?? 0) + piece.arguments.count
        case .usage(let usage): reported = usage
        case .finished: break
        }
    }

    /// What to charge, and whether it is an estimate.
    public var charge: (usage: TokenUsage, estimated: Bool) {
        let textTokens = (characters + 3) / 4
        guard let reported else {
            return (TokenUsage(input: estimatedInput, output: textTokens), true)
        }
        // Input known (Anthropic's message_start) but the output count never came: estimate that part.
        if reported.output < textTokens {
            var usage = reported
            usage.output = textTokens
            return (usage, true)
        }
        return (reported, false)
    }
}
