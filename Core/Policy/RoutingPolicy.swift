/// A tenant's routing policy (DESIGN §4): its providers, a provider chain per task, when to fall
/// back, retries and timeouts, circuit breaking, budgets, rate limits, and what channels and
/// platforms it may use. Parsed from YAML by `PolicyParser`; every field has a default, so an
/// empty document is the policy of a tenant that configured nothing (the offline provider).
public struct RoutingPolicy: Sendable, Equatable {
    /// One provider endpoint the chains refer to by name.
    public struct Provider: Sendable, Equatable {
        /// `openai`, `anthropic`, `gemini` or `offline`.
        public var kind: String
        /// The API base URL; the provider's own when `nil`.
        public var baseURL: String?
        /// Where the key comes from: `env:VARIABLE` or `secret:NAME`, never the key itself.
        public var credential: String?
        /// Time allowed until the response head.
        public var firstByteTimeout: Duration
        /// Time allowed until the answer's first text arrives; past it the chain falls back
        /// (a provider that sends headers and then stalls is as useless as one that never answers).
        public var firstTokenTimeout: Duration = .seconds(30)
        /// Time allowed for the whole answer.
        public var totalTimeout: Duration

        /// The operator's waits, which a policy may lengthen but not shorten without its timeouts
        /// ceasing to count against a shared circuit.
        public static let defaultTimeouts = (firstByte: Duration.seconds(30), firstToken: Duration.seconds(30), total: Duration.seconds(300))
    }

    /// One step of a chain.
    public struct ChainEntry: Sendable, Equatable {
        /// A key of `providers`.
        public var provider: String
        /// The model to ask for.
        public var model: String
        /// The most tokens an answer may have.
        public var maxTokens: Int
        /// Whether the model sees images (`images: true`): photos people send are passed to it.
        /// Off by default, since a model that cannot see them refuses the whole request.
        public var images: Bool = false
    }

    /// What happens when a budget is spent.
    public enum Exhaustion: Sendable, Equatable {
        /// Refuse, with a clear message to the user.
        case refuse
        /// Answer through this cheaper chain instead.
        case downgrade(chain: String)
    }

    /// Budgets in USD; `nil` means unlimited.
    public struct Budgets: Sendable, Equatable {
        /// Per UTC day, whole tenant.
        public var dailyUSD: Double?
        /// Per UTC month, whole tenant.
        public var monthlyUSD: Double?
        /// Per UTC day, one user.
        public var perUserDailyUSD: Double?
        /// The most one message may cost.
        public var perMessageUSD: Double?
        /// What to do when one is spent.
        public var whenExhausted: Exhaustion
    }

    /// The policy's format version.
    public var version: Int
    /// Providers by name.
    public var providers: [String: Provider]
    /// Chains by task (`chat`, `draft`, ...).
    public var chains: [String: [ChainEntry]]
    /// Failure codes that move to the next chain entry (snake case, as written in YAML).
    public var fallbackOn: [String]
    /// Attempts per entry before moving on.
    public var maxAttempts: Int
    /// First retry delay (doubles after).
    public var retryBaseDelay: Duration
    /// Consecutive failures that open a provider's circuit.
    public var circuitFailureThreshold: Int
    /// How long an open circuit stays open before a probe.
    public var circuitCooldown: Duration
    /// Budgets.
    public var budgets: Budgets
    /// Requests per minute for the whole tenant; `nil` is unlimited.
    public var tenantRequestsPerMinute: Int?
    /// Requests per minute for one user; `nil` is unlimited.
    public var userRequestsPerMinute: Int?
    /// Channels the tenant may use; empty (the default) is every channel the deployment runs, so
    /// the default names none of them.
    public var channels: [String]
    /// Platforms the tenant may publish to.
    public var platforms: [String]
    /// Whether a post waits for the user's confirmation before publishing.
    public var postsNeedConfirmation: Bool
    /// Model calls one message may take when the model uses tools (each tool round is one more call).
    public var toolMaxSteps: Int = 4
    /// The most `tools.max_steps` may say: every step is a paid call the person waits for.
    public static let toolStepsCeiling = 16
    /// The tenant's own prices (negotiated rates, self-hosted models), consulted before the shipped table.
    public var prices: [ModelPrice] = []

    /// The names of the sealed secrets the providers refer to (`api_key: secret:NAME`).
    public var secretNames: Set<String> {
        Set(providers.values.compactMap { $0.credential }.filter { $0.hasPrefix("secret:") }.map { String($0.dropFirst(7)) })
    }

    /// The price table for this tenant: the shipped one, with the policy's prices taking precedence.
    public var priceTable: PriceTable {
        prices.isEmpty ? .shipped : PriceTable.shipped.overridden(by: prices)
    }

    /// The policy of a tenant that configured nothing: one offline provider for every task.
    public static let `default` = RoutingPolicy(
        version: 1,
        providers: ["offline": Provider(kind: "offline", baseURL: nil, credential: nil, firstByteTimeout: .seconds(30), totalTimeout: .seconds(300))],
        chains: [
            "chat": [ChainEntry(provider: "offline", model: "offline", maxTokens: 1024)],
            "draft": [ChainEntry(provider: "offline", model: "offline", maxTokens: 1024)],
        ],
        fallbackOn: ["rate_limited", "overloaded", "server", "timeout", "quota_exhausted", "context_too_long"],
        maxAttempts: 2,
        retryBaseDelay: .milliseconds(200),
        circuitFailureThreshold: 5,
        circuitCooldown: .seconds(30),
        budgets: Budgets(dailyUSD: nil, monthlyUSD: nil, perUserDailyUSD: nil, perMessageUSD: nil, whenExhausted: .refuse),
        tenantRequestsPerMinute: nil,
        userRequestsPerMinute: nil,
        channels: [],
        platforms: [],
        postsNeedConfirmation: true
    )
}
