/// What one model costs, in nanodollars (10⁻⁹ USD) per token, from a date on.
///
/// Integers, not floating point: costs are added up across millions of calls and compared with
/// budgets, and a price of $0.15 per million tokens is exactly 150 nanodollars per token.
public struct ModelPrice: Sendable, Equatable, Codable {
    /// The provider kind (`openai`, `anthropic`, `gemini`).
    public var provider: String
    /// The model name or name prefix it applies to (`gpt-4o-mini` also prices `gpt-4o-mini-2024-07-18`).
    public var model: String
    /// The first day (UTC, `YYYY-MM-DD`) this price applies.
    public var effective: String
    /// Uncached input tokens.
    public var inputPerToken: Int64
    /// Output tokens, reasoning included.
    public var outputPerToken: Int64
    /// Input tokens read from the provider's cache.
    public var cacheReadPerToken: Int64

    /// Creates a price from the per-million-token dollar figures providers publish.
    public init(provider: String, model: String, effective: String, inputPerMillion: Double, outputPerMillion: Double, cacheReadPerMillion: Double) {
        self.provider = provider
        self.model = model
        self.effective = effective
        // $ per million tokens = 1000 nanodollars per token per dollar.
        self.inputPerToken = Int64((inputPerMillion * 1000).rounded())
        self.outputPerToken = Int64((outputPerMillion * 1000).rounded())
        self.cacheReadPerToken = Int64((cacheReadPerMillion * 1000).rounded())
    }

    /// The cost of `usage`, in nanodollars. `usage.input` includes cached tokens, which are priced apart.
    public func cost(of usage: TokenUsage) -> Int64 {
        let cached = Int64(min(usage.cacheRead, usage.input))
        return (Int64(usage.input) - cached) * inputPerToken + cached * cacheReadPerToken + Int64(usage.output) * outputPerToken
    }

    /// The most a call can cost: every input token uncached and `maxTokens` of output.
    public func worstCase(inputTokens: Int, maxTokens: Int) -> Int64 {
        Int64(inputTokens) * inputPerToken + Int64(maxTokens) * outputPerToken
    }
}
