import LeopostCore
import Testing

@Suite("SecureRandom")
struct SecureRandomTests {
    @Test("returns the requested number of bytes, and different bytes each time")
    func bytes() throws {
        #expect(try SecureRandom.bytes(count: 0).isEmpty)
        #expect(try SecureRandom.bytes(count: 1).count == 1)
        let first = try SecureRandom.bytes(count: 32)
        let second = try SecureRandom.bytes(count: 32)
        #expect(first.count == 32)
        #expect(first != second)
        #expect(first != [UInt8](repeating: 0, count: 32))
    }

    @Test("tokens are unpadded base64url of the requested byte count")
    func token() throws {
        let token = try SecureRandom.token()
        #expect(token.count == 43)
        #expect(try #require(Base64URL.decode(token)).count == 32)
        #expect(try SecureRandom.token(byteCount: 16).count == 22)
        #expect(try SecureRandom.token() != token)
    }
}
