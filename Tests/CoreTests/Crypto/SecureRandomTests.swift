import Foundation
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

    @Test("random UUIDs are version 4, RFC 4122 variant, and all different")
    func randomUUIDs() {
        let ids = (0..<1_000).map { _ in UUID.random() }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            let text = id.uuidString
            #expect(text[text.index(text.startIndex, offsetBy: 14)] == "4")
            #expect("89AB".contains(text[text.index(text.startIndex, offsetBy: 19)]))
        }
    }

    @Test("a webhook handle is the tenant's and the connection's ids, and nothing else parses")
    func connectionHandles() {
        let connection = ChannelConnection(
            id: UUID.random(), tenantID: TenantID.random(), channel: "telegram", name: "bot", credentials: [:], settings: [:])
        let parsed = ChannelConnection.parse(handle: connection.handle)
        #expect(parsed?.tenant == connection.tenantID && parsed?.connection == connection.id)
        #expect(ChannelConnection.parse(handle: connection.handle.uppercased())?.connection == connection.id)
        #expect(ChannelConnection.parse(handle: String(connection.handle.dropLast())) == nil)
        #expect(ChannelConnection.parse(handle: String(connection.handle.dropLast()) + "g") == nil)
        #expect(ChannelConnection.parse(handle: String(connection.handle.dropLast(2)) + "é") == nil)
    }
}
