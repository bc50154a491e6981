public import Foundation

/// One provider call as it is billed and reported: every call becomes one, failed ones included.
public struct UsageRecord: Sendable, Equatable {
    /// The provider's kind (`openai`, ...).
    public var provider: String
    /// The model asked.
    public var model: String
    /// Tokens counted (by the provider, or estimated when the stream was cut before its report).
    public var usage: TokenUsage
    /// Cost in nanodollars (10⁻⁹ USD).
    public var costNanodollars: Int64
    /// True when `usage` was estimated from what was received, not reported by the provider.
    public var estimated: Bool
    /// `ok`, or the failure code (`rateLimited`, `overloaded`, ...).
    public var outcome: String
    /// Why the chain moved on from this call, when it did.
    public var fallbackReason: String?
    /// Time to the first token, when one came.
    public var firstTokenMilliseconds: Int?
    /// Time to the end of the call.
    public var totalMilliseconds: Int?
    /// The price table that priced it.
    public var priceVersion: String
    /// The conversation and message it served, when known.
    public var conversationID: UUID?
    /// The assistant message it produced, when known.
    public var messageID: UUID?

    /// Creates a record.
    public init(
        provider: String, model: String, usage: TokenUsage, costNanodollars: Int64, estimated: Bool = false, outcome: String = "ok",
        fallbackReason: String? = nil, firstTokenMilliseconds: Int? = nil, totalMilliseconds: Int? = nil, priceVersion: String = "",
        conversationID: UUID? = nil, messageID: UUID? = nil
    ) {
        self.provider = provider
        self.model = model
        self.usage = usage
        self.costNanodollars = costNanodollars
        self.estimated = estimated
        self.outcome = outcome
        self.fallbackReason = fallbackReason
        self.firstTokenMilliseconds = firstTokenMilliseconds
        self.totalMilliseconds = totalMilliseconds
        self.priceVersion = priceVersion
        self.conversationID = conversationID
        self.messageID = messageID
    }
}
