public import LeopostCore

/// Where a provider adapter sends its calls and how long it waits: the same few settings for
/// every provider, filled from a policy entry or the `*_API_KEY` / `*_BASE_URL` variables.
public struct ProviderEndpoint: Sendable {
    /// The API's base URL, without a trailing slash.
    public var baseURL: String
    /// The key, when the endpoint needs one (OpenAI-compatible local servers often do not).
    public var apiKey: String?
    /// The time allowed until the response head.
    public var firstByteTimeout: Duration
    /// The time allowed for the whole answer.
    public var totalTimeout: Duration
    /// `.tenant` when the tenant's policy named the base URL: every call then passes the egress guard.
    public var egress: EgressTrust

    /// Creates an endpoint.
    public init(
        baseURL: String, apiKey: String? = nil, firstByteTimeout: Duration = .seconds(30), totalTimeout: Duration = .seconds(300),
        egress: EgressTrust = .operatorEndpoint
    ) {
        self.egress = egress
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.firstByteTimeout = firstByteTimeout
        self.totalTimeout = totalTimeout
    }
}
