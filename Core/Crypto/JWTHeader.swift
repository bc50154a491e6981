/// The parts of a JWT header that verification looks at (RFC 7515 §4.1).
struct JWTHeader: Decodable {
    /// The signing algorithm; only "HS256" is accepted.
    let alg: String
    /// Extensions the token says must be understood; Leopost understands none, so any makes the token invalid.
    let crit: [String]?

    /// The header every Leopost token carries, byte for byte, already base64url-encoded.
    static let encodedHS256 = Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
}
