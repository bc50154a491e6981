/// The prices Leopost knows, as versioned data a tenant's policy can override.
///
/// Lookup takes the longest model-name prefix (so dated snapshots such as `gpt-4o-2024-08-06` find
/// `gpt-4o`) and, among a model's prices, the newest whose effective date is not after the call.
public struct PriceTable: Sendable, Equatable {
    /// Identifies the shipped data, for usage records and `policy show`.
    public var version: String
    /// Every known price.
    public var prices: [ModelPrice]
    /// A policy's own prices, consulted before `prices`.
    public var overrides: [ModelPrice]

    /// Creates a table.
    public init(version: String, prices: [ModelPrice], overrides: [ModelPrice] = []) {
        self.version = version
        self.prices = prices
        self.overrides = overrides
    }

    /// The price of `model` at `provider` on `day` (`YYYY-MM-DD`, UTC); `nil` when unknown.
    public func price(provider: String, model: String, on day: String) -> ModelPrice? {
        Self.match(overrides, provider: provider, model: model, day: day) ?? Self.match(prices, provider: provider, model: model, day: day)
    }

    /// This table with `overrides` taking precedence (a policy's own prices).
    public func overridden(by overrides: [ModelPrice]) -> PriceTable {
        PriceTable(version: version + "+policy", prices: prices, overrides: overrides)
    }

    private static func match(_ prices: [ModelPrice], provider: String, model: String, day: String) -> ModelPrice? {
        let candidates = prices.filter { $0.provider == provider && model.hasPrefix($0.model) && $0.effective <= day }
        guard let longest = candidates.map(\.model.count).max() else { return nil }
        return candidates.filter { $0.model.count == longest }.max { $0.effective < $1.effective }
    }
}

extension PriceTable {
    /// The prices shipped with this build: list prices per million tokens (USD) for standard,
    /// non-batch use, short context. Reasoning tokens are billed as output by every provider here.
    public static let shipped = PriceTable(
        version: "2025-10-01",
        prices: [
            ModelPrice(
                provider: "openai", model: "gpt-4o", effective: "2024-08-06", inputPerMillion: 2.50, outputPerMillion: 10.00,
                cacheReadPerMillion: 1.25),
            ModelPrice(
                provider: "openai", model: "gpt-4o-mini", effective: "2024-07-18", inputPerMillion: 0.15, outputPerMillion: 0.60,
                cacheReadPerMillion: 0.075),
            ModelPrice(
                provider: "openai", model: "gpt-4.1", effective: "2025-04-14", inputPerMillion: 2.00, outputPerMillion: 8.00,
                cacheReadPerMillion: 0.50),
            ModelPrice(
                provider: "openai", model: "gpt-4.1-mini", effective: "2025-04-14", inputPerMillion: 0.40, outputPerMillion: 1.60,
                cacheReadPerMillion: 0.10),
            ModelPrice(
                provider: "openai", model: "gpt-4.1-nano", effective: "2025-04-14", inputPerMillion: 0.10, outputPerMillion: 0.40,
                cacheReadPerMillion: 0.025),
            ModelPrice(
                provider: "openai", model: "o3-mini", effective: "2025-01-31", inputPerMillion: 1.10, outputPerMillion: 4.40,
                cacheReadPerMillion: 0.55),
            ModelPrice(
                provider: "anthropic", model: "claude-3-5-haiku", effective: "2024-11-04", inputPerMillion: 0.80, outputPerMillion: 4.00,
                cacheReadPerMillion: 0.08),
            ModelPrice(
                provider: "anthropic", model: "claude-haiku-4-5", effective: "2025-10-15", inputPerMillion: 1.00, outputPerMillion: 5.00,
                cacheReadPerMillion: 0.10),
            ModelPrice(
                provider: "anthropic", model: "claude-3-7-sonnet", effective: "2025-02-24", inputPerMillion: 3.00, outputPerMillion: 15.00,
                cacheReadPerMillion: 0.30),
            ModelPrice(
                provider: "anthropic", model: "claude-sonnet-4", effective: "2025-05-22", inputPerMillion: 3.00, outputPerMillion: 15.00,
                cacheReadPerMillion: 0.30),
            ModelPrice(
                provider: "anthropic", model: "claude-opus-4", effective: "2025-05-22", inputPerMillion: 15.00, outputPerMillion: 75.00,
                cacheReadPerMillion: 1.50),
            ModelPrice(
                provider: "gemini", model: "gemini-2.0-flash", effective: "2025-02-05", inputPerMillion: 0.10, outputPerMillion: 0.40,
                cacheReadPerMillion: 0.025),
            ModelPrice(
                provider: "gemini", model: "gemini-2.5-flash", effective: "2025-06-17", inputPerMillion: 0.30, outputPerMillion: 2.50,
                cacheReadPerMillion: 0.075),
            ModelPrice(
                provider: "gemini", model: "gemini-2.5-flash-lite", effective: "2025-07-22", inputPerMillion: 0.10, outputPerMillion: 0.40,
                cacheReadPerMillion: 0.025),
            ModelPrice(
                provider: "gemini", model: "gemini-2.5-pro", effective: "2025-06-17", inputPerMillion: 1.25, outputPerMillion: 10.00,
                cacheReadPerMillion: 0.31),
            ModelPrice(provider: "offline", model: "", effective: "2000-01-01", inputPerMillion: 0, outputPerMillion: 0, cacheReadPerMillion: 0),
        ]
    )
}
