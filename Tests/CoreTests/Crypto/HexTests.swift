import LeopostCore
import Testing

@Suite("Hex")
struct HexTests {
    @Test("encodes lowercase, two digits per byte")
    func encode() {
        #expect(Hex.encode([UInt8]()) == "")
        #expect(Hex.encode([0x00, 0x01, 0x7F, 0x80, 0xAB, 0xFF]) == "00017f80abff")
    }

    @Test("decodes either case and round-trips every byte")
    func decode() {
        #expect(Hex.decode("00017f80abff") == [0x00, 0x01, 0x7F, 0x80, 0xAB, 0xFF])
        #expect(Hex.decode("ABff") == [0xAB, 0xFF])
        #expect(Hex.decode("") == [])
        let all = (0...255).map(UInt8.init)
        #expect(Hex.decode(Hex.encode(all)) == all)
    }

    @Test("odd length, non-hex characters, prefixes and whitespace are refused", arguments: ["a", "abc", "0g", "0x00", " 00", "00 ", "éé"])
    func rejects(text: String) {
        #expect(Hex.decode(text) == nil)
    }
}
