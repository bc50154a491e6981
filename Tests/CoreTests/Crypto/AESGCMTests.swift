import Testing

@testable import LeopostCore

@Suite("AES-256-GCM boxes")
struct AESGCMTests {
    let key: SymmetricKey
    let aad = Array("tenant:acme/column:telegram_token".utf8)
    let plaintext = Array("123456:ABC-telegram-bot-token".utf8)

    init() throws {
        key = try SymmetricKey.random()
    }

    @Test("GCM spec test case 16 (AES-256, 96-bit IV, with AAD) through the raw primitive")
    func knownAnswer() throws {
        let key = try SymmetricKey(hex: "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
        let plaintext = try #require(
            Hex.decode(
                "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
            )
        )
        let aad = try #require(Hex.decode("feedfacedeadbeeffeedfacedeadbeefabaddad2"))
        let nonce = try #require(Hex.decode("cafebabefacedbaddecaf888"))
        let sealed = try GCMCipher.seal(plaintext, key: key, nonce: nonce, aad: aad)
        #expect(
            Hex.encode(sealed.ciphertext)
                == "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
        )
        #expect(Hex.encode(sealed.tag) == "76fc6ece0f4e1768cddf8853bb2d551b")
        let opened = try GCMCipher.open(ciphertext: sealed.ciphertext, tag: sealed.tag, key: key, nonce: nonce, aad: aad)
        #expect(opened == plaintext)
    }

    @Test("seal then open returns the plaintext; the box is version, nonce, ciphertext, tag")
    func roundTrip() throws {
        let box = try AESGCM.seal(plaintext, using: key, authenticating: aad)
        #expect(box.count == plaintext.count + AESGCM.overhead)
        #expect(box.first == AESGCM.formatVersion)
        #expect(try AESGCM.open(box, using: key, authenticating: aad) == plaintext)
    }

    @Test("empty plaintext and empty AAD round-trip too; two seals of the same text differ")
    func edgeCases() throws {
        let empty = try AESGCM.seal([UInt8](), using: key)
        #expect(empty.count == AESGCM.overhead)
        #expect(try AESGCM.open(empty, using: key).isEmpty)
        let first = try AESGCM.seal(plaintext, using: key)
        let second = try AESGCM.seal(plaintext, using: key)
        #expect(first != second)
        #expect(try AESGCM.open(ArraySlice(second), using: key) == plaintext)
    }

    @Test("a flipped byte in the nonce, ciphertext or tag fails authentication", arguments: ["nonce", "ciphertext", "tag"])
    func tamper(part: String) throws {
        var box = try AESGCM.seal(plaintext, using: key, authenticating: aad)
        let index =
            switch part {
            case "nonce": 1
            case "ciphertext": 1 + AESGCM.nonceByteCount + 3
            default: box.count - 1
            }
        box[index] ^= 0x01
        try expectFailure(.authenticationFailed) { try AESGCM.open(box, using: key, authenticating: aad) }
    }

    @Test("the wrong key or the wrong AAD fails authentication")
    func wrongContext() throws {
        let box = try AESGCM.seal(plaintext, using: key, authenticating: aad)
        try expectFailure(.authenticationFailed) { try AESGCM.open(box, using: SymmetricKey.random(), authenticating: aad) }
        try expectFailure(.authenticationFailed) { try AESGCM.open(box, using: key, authenticating: aad + [0]) }
        try expectFailure(.authenticationFailed) { try AESGCM.open(box, using: key) }
    }

    @Test("truncated and empty boxes are malformed")
    func truncated() throws {
        let box = try AESGCM.seal(plaintext, using: key)
        try expectFailure(.malformedBox) { try AESGCM.open([UInt8](), using: key) }
        try expectFailure(.malformedBox) { try AESGCM.open(box.prefix(AESGCM.overhead - 1), using: key) }
        try expectFailure(.malformedBox) { try AESGCM.open([AESGCM.formatVersion], using: key) }
        // Long enough to parse, but a byte short: the tag no longer matches.
        try expectFailure(.authenticationFailed) { try AESGCM.open(box.dropLast(), using: key) }
    }

    @Test("an unknown version byte is refused before anything else", arguments: [0x00, 0x02, 0xFF] as [UInt8])
    func unknownVersion(version: UInt8) throws {
        var box = try AESGCM.seal(plaintext, using: key)
        box[0] = version
        let error = try expectFailure(.unsupportedVersion) { try AESGCM.open(box, using: key) }
        #expect(error.message.contains("version \(version)"))
    }

    @discardableResult
    private func expectFailure(
        _ code: CryptoError.Code,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () throws -> [UInt8]
    ) throws -> CryptoError {
        let error = #expect(throws: CryptoError.self, sourceLocation: sourceLocation) { try body() }
        #expect(error?.code == code, sourceLocation: sourceLocation)
        return try #require(error, sourceLocation: sourceLocation)
    }
}
