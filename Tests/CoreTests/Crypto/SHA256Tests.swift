import LeopostCore
import Testing

@Suite("SHA-256")
struct SHA256Tests {
    @Test("FIPS 180-2 vectors: \"abc\", the empty string, the two-block message")
    func publishedVectors() {
        #expect(SHA256.hexDigest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hexDigest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            SHA256.hexDigest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        )
    }

    @Test("string, array, slice and non-contiguous collections hash alike")
    func collectionKinds() {
        let expected = SHA256.hash("abc")
        #expect(expected.count == SHA256.byteCount)
        #expect(SHA256.hash(Array("abc".utf8)) == expected)
        #expect(SHA256.hash(Array("xabcx".utf8)[1..<4]) == expected)
        #expect(SHA256.hash("cba".utf8.reversed()) == expected)
        #expect(SHA256.hexDigest(Array("abc".utf8)) == SHA256.hexDigest("abc"))
    }

    @Test("a million 'a's (FIPS 180-2 long message)")
    func longMessage() {
        let digest = SHA256.hexDigest([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
        #expect(digest == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
