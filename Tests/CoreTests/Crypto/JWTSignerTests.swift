import Foundation
import LeopostCore
import Testing

@Suite("JWT HS256 signing and verification")
struct JWTSignerTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let secret = Array("0123456789abcdef0123456789abcdef".utf8)
    let signer = JWTSigner(secret: secret)
    let claims = JWTClaims(sub: "ada", tid: "acme", iat: 1_800_000_000, exp: 1_800_003_600)

    @Test("a signed token verifies back to the same claims, with the fixed HS256 header")
    func roundTrip() throws {
        let token = try signer.sign(claims)
        #expect(token.hasPrefix("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."))
        #expect(token.split(separator: ".").count == 3)
        #expect(try signer.verify(token, now: Self.now) == claims)

        let full = JWTClaims(
            sub: "ada", tid: "acme", iat: 1_800_000_000, exp: 1_800_003_600, nbf: 1_800_000_000, iss: "https://leopost.example/", jti: "j-1"
        )
        #expect(try signer.verify(signer.sign(full), now: Self.now) == full)
    }

    @Test("optional claims are left out of the payload when nil")
    func compactPayload() throws {
        let payload = try #require(Base64URL.decode(String(signer.sign(claims).split(separator: ".")[1])))
        let json = String(decoding: payload, as: UTF8.self)
        #expect(!json.contains("nbf") && !json.contains("iss") && !json.contains("jti") && !json.contains(" "))
    }

    @Test("the lifetime initializer sets iat from the date and exp from the lifetime")
    func lifetime() {
        let minted = JWTClaims(sub: "ada", tid: "acme", issuedAt: Date(timeIntervalSince1970: 1_800_000_000.9), lifetime: .seconds(3600))
        #expect(minted.iat == 1_800_000_000 && minted.exp == 1_800_003_600 && minted.nbf == nil)
    }

    @Test("alg none (any spelling) is refused as unsupportedAlgorithm, even without a signature", arguments: ["none", "None", "NONE"])
    func algorithmNone(alg: String) throws {
        let token = Self.encode(#"{"alg":"\#(alg)"}"#) + "." + Base64URL.encode(try Self.json(claims)) + "."
        try expectFailure(.unsupportedAlgorithm) { try signer.verify(token, now: Self.now) }
    }

    @Test("other algorithms are refused before the signature is looked at", arguments: ["HS512", "HS384", "RS256", "hs256", ""])
    func otherAlgorithms(alg: String) throws {
        let token = Self.craft(header: #"{"alg":"\#(alg)","typ":"JWT"}"#, payload: try Self.json(claims), secret: Array("x".utf8))
        let error = try expectFailure(.unsupportedAlgorithm) { try signer.verify(token, now: Self.now) }
        #expect(error.message.contains("only HS256"))
    }

    @Test("a changed payload or a signature from another secret is refused as invalidSignature")
    func invalidSignature() throws {
        let parts = try signer.sign(claims).split(separator: ".").map(String.init)
        var other = claims
        other.tid = "globex"
        let swapped = [parts[0], Base64URL.encode(try Self.json(other)), parts[2]].joined(separator: ".")
        try expectFailure(.invalidSignature) { try signer.verify(swapped, now: Self.now) }

        let foreign = try JWTSigner(secret: Array("another secret, also 32 bytes...".utf8)).sign(claims)
        try expectFailure(.invalidSignature) { try signer.verify(foreign, now: Self.now) }
        try expectFailure(.invalidSignature) { try signer.verify(parts[0] + "." + parts[1] + ".", now: Self.now) }
    }

    @Test("exp at or before now minus leeway is expired; within the leeway it is accepted")
    func expiry() throws {
        let exp = claims.exp
        let error = try expectFailure(.expired) { try signer.verify(signer.sign(claims), now: Date(timeIntervalSince1970: Double(exp + 30))) }
        #expect(error.message.contains("expired at 2027-01-15T09:00:00Z") && error.message.contains("leopost token"))
        _ = try signer.verify(signer.sign(claims), now: Date(timeIntervalSince1970: Double(exp + 29)))
        try expectFailure(.expired) { try signer.verify(signer.sign(claims), now: Date(timeIntervalSince1970: Double(exp)), leeway: .zero) }
    }

    @Test("nbf after now plus leeway is not yet valid; within the leeway it is accepted")
    func notBefore() throws {
        var early = claims
        early.nbf = 1_800_000_031
        try expectFailure(.notYetValid) { try signer.verify(signer.sign(early), now: Self.now) }
        early.nbf = 1_800_000_030
        #expect(try signer.verify(signer.sign(early), now: Self.now) == early)
    }

    @Test("a correctly signed token without exp, sub or tid is refused as missingClaim", arguments: ["exp", "sub", "tid", "iat"])
    func missingClaims(name: String) throws {
        var object = try #require(JSONSerialization.jsonObject(with: Data(Self.json(claims))) as? [String: Any])
        object[name] = nil
        let payload = try JSONSerialization.data(withJSONObject: object)
        let token = Self.craft(header: #"{"alg":"HS256","typ":"JWT"}"#, payload: Array(payload), secret: Self.secret)
        let error = try expectFailure(.missingClaim) { try signer.verify(token, now: Self.now) }
        #expect(error.message.contains("\"\(name)\""))
    }

    @Test(
        "garbage is malformed",
        arguments: [
            "", "a.b", "a.b.c.d", "a.b.c", "...", "!!.!!.!!", "eyJhbGciOiJIUzI1NiJ9.e30.AA==",
            "aGVsbG8.e30.", "e30.e30.", "W10.e30.", "eyJhbGciOjF9.e30.", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.",
            String(repeating: "A", count: 9000) + ".e30.",
        ]
    )
    func malformed(token: String) throws {
        try expectFailure(.malformed) { try signer.verify(token, now: Self.now) }
    }

    @Test("a signed payload that is not the claims object is malformed")
    func wrongClaimTypes() throws {
        for payload in [#"{"sub":1,"tid":"acme","iat":1,"exp":1800003600}"#, #"{"sub":"ada","tid":"acme","iat":1,"exp":"soon"}"#, "[]"] {
            let token = Self.craft(header: #"{"alg":"HS256"}"#, payload: Array(payload.utf8), secret: Self.secret)
            try expectFailure(.malformed) { try signer.verify(token, now: Self.now) }
        }
    }

    @Test("a header with critical extensions is refused")
    func critical() throws {
        let token = Self.craft(header: #"{"alg":"HS256","crit":["exp"]}"#, payload: try Self.json(claims), secret: Self.secret)
        try expectFailure(.malformed) { try signer.verify(token, now: Self.now) }
    }

    @Test("the signer never prints its secret")
    func redacted() {
        var dumped = ""
        dump(signer, to: &dumped)
        for text in ["\(signer)", String(reflecting: signer), dumped] {
            #expect(!text.contains("0123456789") && !text.contains("48, 49"))
        }
    }

    static func encode(_ text: String) -> String { Base64URL.encode(Array(text.utf8)) }

    static func json(_ claims: JWTClaims) throws -> [UInt8] { Array(try JSONEncoder().encode(claims)) }

    /// Builds a token by hand from any header and payload, signed with HMAC-SHA256.
    static func craft(header: String, payload: [UInt8], secret: [UInt8]) -> String {
        let input = encode(header) + "." + Base64URL.encode(payload)
        return input + "." + Base64URL.encode(HMACSHA256.authenticationCode(for: Array(input.utf8), key: secret))
    }

    @discardableResult
    private func expectFailure(
        _ code: JWTError.Code,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () throws -> JWTClaims
    ) throws -> JWTError {
        let error = #expect(throws: JWTError.self, sourceLocation: sourceLocation) { try body() }
        #expect(error?.code == code, "got \(String(describing: error))", sourceLocation: sourceLocation)
        return try #require(error, sourceLocation: sourceLocation)
    }
}
