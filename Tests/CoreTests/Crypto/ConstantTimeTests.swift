import LeopostCore
import Testing

@Suite("Constant-time comparison")
struct ConstantTimeTests {
    @Test("equal sequences compare equal, whatever the collection type")
    func equal() {
        #expect(ConstantTime.equals([1, 2, 3] as [UInt8], [1, 2, 3] as [UInt8]))
        #expect(ConstantTime.equals([UInt8](), [UInt8]()))
        #expect(ConstantTime.equals(Array("xabc".utf8).dropFirst(), "abc".utf8))
    }

    @Test("a difference in the first, middle or last byte is found")
    func differences() {
        let base = [UInt8](repeating: 7, count: 32)
        for index in [0, 16, 31] {
            var other = base
            other[index] ^= 0x80
            #expect(!ConstantTime.equals(base, other))
        }
    }

    @Test("different lengths are unequal, including a prefix and the empty sequence")
    func lengths() {
        #expect(!ConstantTime.equals([1, 2, 3] as [UInt8], [1, 2] as [UInt8]))
        #expect(!ConstantTime.equals([UInt8](), [0] as [UInt8]))
    }
}
