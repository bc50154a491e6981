public import Hummingbird
import Logging

/// Per-request state of the gateway: the authenticated tenant and the body limit.
public struct GatewayContext: RequestContext {
    /// Hummingbird's own per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// Set by `TenantAuthenticator` when the request carried a valid credential.
    public var identity: TenantIdentity?
    /// The most a request body may hold when decoded; larger ones get 413.
    public var maxUploadSize: Int
    /// A short id for the request, echoed in 500 answers so an operator can find the log line.
    public let requestID: String

    /// Creates the context of a new request.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.identity = nil
        self.maxUploadSize = 1 << 20
        self.requestID = String(UInt64.random(in: 0...UInt64.max), radix: 36)
    }

    /// The caller's identity when it is the tenant's API key; 401 without a credential, 403 for a
    /// chat token. Configuration that spends money or holds credentials (policy, secrets, channel
    /// connections) is the configurer's business, not every chat user's.
    /// - Parameter purpose: what needs the key, for the refusal (`changing the policy`).
    public func requireAPIKey(for purpose: String) throws -> TenantIdentity {
        let identity = try requireIdentity()
        guard identity.credential == .apiKey else {
            throw APIError.forbidden("\(purpose) needs the tenant's API key, not a chat token")
        }
        return identity
    }

    /// The caller's identity, or a 401 for a request without a valid credential.
    public func requireIdentity() throws -> TenantIdentity {
        guard let identity else { throw APIError.unauthorized("this endpoint needs `Authorization: Bearer <API key or token>`") }
        return identity
    }
}
