public import Foundation

/// The claims a Leopost web-chat token carries: who (`sub`), for which tenant (`tid`), and when it is valid.
///
/// Times are NumericDate values (whole seconds since 1970-01-01 UTC, RFC 7519 §2). `exp` is required:
/// Leopost never issues or accepts a token that does not expire.
public struct JWTClaims: Codable, Sendable, Equatable {
    /// The subject: the user name or id the token was issued to.
    public var sub: String
    /// The tenant id the user belongs to; the gateway takes the tenant from here, never from the request.
    public var tid: String
    /// When the token was issued, in seconds since 1970.
    public var iat: Int64
    /// When the token expires, in seconds since 1970; required.
    public var exp: Int64
    /// The token is not valid before this time, in seconds since 1970; absent means "from `iat`".
    public var nbf: Int64?
    /// Who issued the token, if recorded.
    public var iss: String?
    /// A unique token id, for revocation lists.
    public var jti: String?

    /// Creates claims from NumericDate values.
    /// - Parameters:
    ///   - sub: The user name or id.
    ///   - tid: The tenant id.
    ///   - iat: Issue time, seconds since 1970.
    ///   - exp: Expiry time, seconds since 1970.
    ///   - nbf: Optional start of validity, seconds since 1970.
    ///   - iss: Optional issuer.
    ///   - jti: Optional unique token id.
    public init(sub: String, tid: String, iat: Int64, exp: Int64, nbf: Int64? = nil, iss: String? = nil, jti: String? = nil) {
        self.sub = sub
        self.tid = tid
        self.iat = iat
        self.exp = exp
        self.nbf = nbf
        self.iss = iss
        self.jti = jti
    }

    /// Creates claims for a token issued now that lives for `lifetime`, the usual way to mint one.
    /// - Parameters:
    ///   - sub: The user name or id.
    ///   - tid: The tenant id.
    ///   - issuedAt: The issue time; fractions of a second are dropped.
    ///   - lifetime: How long the token stays valid.
    ///   - iss: Optional issuer.
    ///   - jti: Optional unique token id.
    public init(sub: String, tid: String, issuedAt: Date = Date(), lifetime: Duration, iss: String? = nil, jti: String? = nil) {
        let iat = Int64(issuedAt.timeIntervalSince1970.rounded(.down))
        self.init(sub: sub, tid: tid, iat: iat, exp: iat + lifetime.components.seconds, iss: iss, jti: jti)
    }
}
