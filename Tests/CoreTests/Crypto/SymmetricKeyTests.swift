import LeopostCore
import Testing

@Suite("SymmetricKey")
struct SymmetricKeyTests {
    static let hexText = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

    @Test("accepts exactly 32 bytes and refuses other lengths with invalidKey", arguments: [0, 16, 31, 33, 64])
    func length(count: Int) throws {
        let error = #expect(throws: CryptoError.self) { try SymmetricKey(bytes: [UInt8](repeating: 1, count: count)) }
        #expect(error?.code == .invalidKey)
        #expect(error?.message.contains("\(count) bytes") == true)
        _ = try SymmetricKey(bytes: [UInt8](repeating: 1, count: 32))
    }

    @Test("hex and base64url forms decode to the same key, with surrounding whitespace ignored")
    func textForms() throws {
        let fromHex = try SymmetricKey(hex: Self.hexText.uppercased() + "\n")
        let fromBase64 = try SymmetricKey(base64URL: "  " + Base64URL.encode(try #require(Hex.decode(Self.hexText))))
        let box = try AESGCM.seal([1, 2, 3], using: fromHex)
        #expect(try AESGCM.open(box, using: fromBase64) == [1, 2, 3])
    }

    @Test(
        "bad text forms are refused with invalidKey",
        arguments: [("hex", "xyz"), ("hex", "abcd"), ("hex", ""), ("base64URL", "AAAA"), ("base64URL", "not base64!")]
    )
    func badText(form: String, text: String) {
        let error = #expect(throws: CryptoError.self) {
            _ = form == "hex" ? try SymmetricKey(hex: text) : try SymmetricKey(base64URL: text)
        }
        #expect(error?.code == .invalidKey)
    }

    @Test("random keys differ")
    func random() throws {
        let box = try AESGCM.seal([9], using: SymmetricKey.random())
        #expect(throws: CryptoError.self) { try AESGCM.open(box, using: SymmetricKey.random()) }
    }

    @Test("the key never shows in description, debug output or dump")
    func redacted() throws {
        let key = try SymmetricKey(hex: Self.hexText)
        var dumped = ""
        dump(key, to: &dumped)
        for text in ["\(key)", String(describing: key), String(reflecting: key), dumped] {
            #expect(text.contains("redacted") || text.contains("SymmetricKey"))
            #expect(!text.contains("0, 1, 2"))
            #expect(!text.contains("000102"))
        }
    }
}
