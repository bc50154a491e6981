/// Who is calling: the tenant a credential belongs to, and how it was proven.
///
/// The tenant of every request comes from here, never from the request body or path.
public struct TenantIdentity: Sendable, Equatable {
    /// How the caller authenticated.
    public enum Credential: Sendable, Equatable {
        /// A tenant API key (servers, scripts).
        case apiKey
        /// A signed web-chat token naming a user of the tenant.
        case token(user: String)
    }

    /// The tenant whose rows this request may touch.
    public let tenantID: TenantID
    /// How that was established.
    public let credential: Credential

    /// Creates an identity.
    public init(tenantID: TenantID, credential: Credential) {
        self.tenantID = tenantID
        self.credential = credential
    }
}
