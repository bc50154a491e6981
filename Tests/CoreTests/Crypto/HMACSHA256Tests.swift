import LeopostCore
import Testing

@Suite("HMAC-SHA256")
struct HMACSHA256Tests {
    @Test("RFC 4231 test case 1: 20-byte 0x0b key, \"Hi There\"")
    func rfc4231Case1() {
        let code = HMACSHA256.authenticationCode(for: Array("Hi There".utf8), key: [UInt8](repeating: 0x0B, count: 20))
        #expect(Hex.encode(code) == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    @Test("RFC 4231 test case 2: key \"Jefe\"")
    func rfc4231Case2() {
        let code = HMACSHA256.authenticationCode(for: Array("what do ya want for nothing?".utf8), key: Array("Jefe".utf8))
        #expect(Hex.encode(code) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test("RFC 4231 test case 6: key longer than the block size is hashed first")
    func rfc4231Case6() {
        let code = HMACSHA256.authenticationCode(
            for: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            key: [UInt8](repeating: 0xAA, count: 131)
        )
        #expect(Hex.encode(code) == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test("an empty key and message still work (no NULL-key surprise from OpenSSL)")
    func emptyKey() {
        let code = HMACSHA256.authenticationCode(for: [UInt8](), key: [UInt8]())
        #expect(Hex.encode(code) == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    @Test("validation accepts the right code and refuses a changed, truncated or empty one")
    func validation() {
        let key = Array("Jefe".utf8)
        let message = Array("what do ya want for nothing?".utf8)
        var mac = HMACSHA256.authenticationCode(for: message, key: key)
        #expect(HMACSHA256.isValidAuthenticationCode(mac, for: message, key: key))
        #expect(!HMACSHA256.isValidAuthenticationCode(mac.dropLast(), for: message, key: key))
        #expect(!HMACSHA256.isValidAuthenticationCode([UInt8](), for: message, key: key))
        #expect(!HMACSHA256.isValidAuthenticationCode(mac, for: message + [0], key: key))
        #expect(!HMACSHA256.isValidAuthenticationCode(mac, for: message, key: Array("Jeff".utf8)))
        mac[31] ^= 0x01
        #expect(!HMACSHA256.isValidAuthenticationCode(mac, for: message, key: key))
    }
}
