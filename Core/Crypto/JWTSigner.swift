public import Foundation

/// Signs and verifies HS256 JSON Web Tokens (RFC 7519) for the web chat, under `LEOPOST_JWT_SECRET`.
///
/// Verification trusts nothing in the token before the signature is checked: the header must say HS256
/// (`none`, `HS512` and every other algorithm are refused before any signature work), the signature is
/// compared in constant time, and only then are the claims decoded and their times checked.
///
/// ```swift
/// let signer = JWTSigner(secret: secretBytes)
/// let token = try signer.sign(JWTClaims(sub: "ada", tid: "acme", lifetime: .seconds(3600)))
/// let claims = try signer.verify(token)   // throws JWTError
/// ```
public struct JWTSigner: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The shortest secret configuration should accept: RFC 7518 §3.2 asks for at least the hash size.
    public static let minimumSecretByteCount = 32
    /// Longer texts are refused as malformed without being parsed, to bound the work an attacker can cause.
    static let maximumTokenLength = 8192

    private let secret: [UInt8]
    /// The longest lifetime (`exp - iat`) a verified token may have.
    public let maxLifetime: Duration

    /// Creates a signer.
    /// - Parameters:
    ///   - secret: The HMAC key shared by everything that signs or verifies tokens; use at least
    ///     `minimumSecretByteCount` random bytes (configuration enforces that, this type does not).
    ///   - maxLifetime: tokens valid for longer are refused, whoever signed them (`LEOPOST_JWT_MAX_LIFETIME_HOURS`).
    public init(secret: [UInt8], maxLifetime: Duration = .seconds(30 * 24 * 3600)) {
        self.secret = secret
        self.maxLifetime = maxLifetime
    }

    /// Signs claims into a compact token with the header `{"alg":"HS256","typ":"JWT"}`.
    /// - Parameter claims: What the token asserts; `exp` must be set by the caller to a sensible lifetime.
    /// - Returns: `header.payload.signature`, each part base64url without padding.
    /// - Throws: An `EncodingError` if the claims cannot be encoded (not expected for valid strings).
    public func sign(_ claims: JWTClaims) throws -> String {
        let signingInput = JWTHeader.encodedHS256 + "." + Base64URL.encode(try JSONCoding.encoder.encode(claims))
        let signature = HMACSHA256.authenticationCode(for: Array(signingInput.utf8), key: secret)
        return signingInput + "." + Base64URL.encode(signature)
    }

    /// Verifies a token and returns its claims.
    ///
    /// Checks, in order: three base64url segments; a JSON header whose `alg` is exactly "HS256" and that has
    /// no `crit`; the signature; claims that decode with `sub`, `tid`, `iat` and `exp` present; `exp` after
    /// `now - leeway`; `iat` and `nbf` (if present) not after `now + leeway`; `exp - iat` at most
    /// ``maxLifetime``. A token without `exp` is refused: tokens must expire.
    /// - Parameters:
    ///   - token: The compact token, e.g. from an `Authorization: Bearer` header.
    ///   - now: The current time; pass a fixed date in tests.
    ///   - leeway: Clock skew tolerated between the issuing and verifying machines.
    /// - Returns: The verified claims.
    /// - Throws: `JWTError` with code `.malformed`, `.unsupportedAlgorithm`, `.invalidSignature`, `.missingClaim`,
    ///   `.expired` or `.notYetValid`.
    public func verify(_ token: String, now: Date = Date(), leeway: Duration = .seconds(30)) throws -> JWTClaims {
        guard token.utf8.count <= Self.maximumTokenLength else {
            throw JWTError.malformed("it is longer than \(Self.maximumTokenLength) bytes")
        }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw JWTError.malformed("it has \(parts.count) part(s) separated by \".\", a JWT has 3")
        }
        guard let headerJSON = Base64URL.decode(String(parts[0])), let payloadJSON = Base64URL.decode(String(parts[1])),
            let signature = Base64URL.decode(String(parts[2]))
        else {
            throw JWTError.malformed("a part is not unpadded base64url")
        }
        let header: JWTHeader
        do {
            header = try JSONCoding.decoder.decode(JWTHeader.self, from: Data(headerJSON))
        } catch {
            throw JWTError.malformed("the header is not a JSON object with an \"alg\" string")
        }
        guard header.alg == "HS256" else { throw JWTError.unsupportedAlgorithm(header.alg) }
        guard header.crit == nil else { throw JWTError.malformed("the header lists critical extensions, which are not supported") }

        let signingInput = token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count)
        guard HMACSHA256.isValidAuthenticationCode(signature, for: signingInput, key: secret) else {
            throw JWTError.invalidSignature
        }

        let claims = try Self.decodeClaims(payloadJSON)
        let nowSeconds = now.timeIntervalSince1970
        let leewaySeconds = Double(leeway.components.seconds) + Double(leeway.components.attoseconds) / 1e18
        guard Double(claims.exp) > nowSeconds - leewaySeconds else { throw JWTError.expired(at: claims.exp) }
        if let nbf = claims.nbf, Double(nbf) > nowSeconds + leewaySeconds { throw JWTError.notYetValid(until: nbf) }
        guard Double(claims.iat) <= nowSeconds + leewaySeconds else { throw JWTError.issuedInTheFuture(claims.iat) }
        guard claims.exp - claims.iat <= maxLifetime.components.seconds else {
            throw JWTError.lifetimeTooLong(claims.exp - claims.iat, limit: maxLifetime)
        }
        return claims
    }

    /// Decodes the payload, naming a missing claim rather than reporting a generic decoding failure.
    private static func decodeClaims(_ json: [UInt8]) throws -> JWTClaims {
        do {
            return try JSONCoding.decoder.decode(JWTClaims.self, from: Data(json))
        } catch DecodingError.keyNotFound(let key, _) {
            throw JWTError.missingClaim(key.stringValue)
        } catch DecodingError.valueNotFound(_, let context) where context.codingPath.count == 1 {
            throw JWTError.missingClaim(context.codingPath[0].stringValue)
        } catch {
            throw JWTError.malformed("the claims are not a JSON object with strings sub and tid and integers iat and exp")
        }
    }

    /// A redacted placeholder: the secret is never printed.
    public var description: String { "JWTSigner(HS256, secret: <redacted>)" }

    /// A redacted placeholder: the secret is never printed, not even in debug output.
    public var debugDescription: String { description }

    /// An empty mirror, so `dump` and reflection-based printers cannot reach the secret.
    public var customMirror: Mirror { Mirror(self, children: []) }
}
