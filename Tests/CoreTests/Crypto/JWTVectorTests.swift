import Foundation
import LeopostCore
import Testing

/// Tokens published by others, to show the signature check agrees with the rest of the world.
@Suite("JWT HS256 published vectors")
struct JWTVectorTests {
    /// jwt.io's example token, secret "your-256-bit-secret".
    static let jwtIO =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
        + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"

    /// RFC 7515 appendix A.1, with its JWK "k" as the key.
    static let rfc7515 =
        "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
        + ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    static let rfc7515Key = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"

    @Test("jwt.io: the signature is the HMAC of the signing input")
    func jwtIOSignature() throws {
        let parts = Self.jwtIO.split(separator: ".")
        let mac = HMACSHA256.authenticationCode(for: Array("\(parts[0]).\(parts[1])".utf8), key: Array("your-256-bit-secret".utf8))
        #expect(Base64URL.encode(mac) == String(parts[2]))
    }

    @Test("jwt.io: verification passes the signature and stops at the missing tid claim; another secret fails the signature")
    func jwtIOVerify() throws {
        let error = #expect(throws: JWTError.self) {
            try JWTSigner(secret: Array("your-256-bit-secret".utf8)).verify(Self.jwtIO, now: Date(timeIntervalSince1970: 1_516_239_022))
        }
        #expect(error?.code == .missingClaim)
        #expect(error?.message.contains("\"tid\"") == true)
        let wrong = #expect(throws: JWTError.self) { try JWTSigner(secret: Array("not-the-secret".utf8)).verify(Self.jwtIO) }
        #expect(wrong?.code == .invalidSignature)
    }

    @Test("RFC 7515 A.1: header with CRLF whitespace and typ first still verifies, then stops at the missing sub claim")
    func rfc7515() throws {
        let key = try #require(Base64URL.decode(Self.rfc7515Key))
        let parts = Self.rfc7515.split(separator: ".")
        let signature = try #require(Base64URL.decode(String(parts[2])))
        #expect(HMACSHA256.isValidAuthenticationCode(signature, for: Array("\(parts[0]).\(parts[1])".utf8), key: key))
        let error = #expect(throws: JWTError.self) {
            try JWTSigner(secret: key).verify(Self.rfc7515, now: Date(timeIntervalSince1970: 1_300_819_000))
        }
        #expect(error?.code == .missingClaim)
        #expect(error?.message.contains("\"sub\"") == true)
    }
}
