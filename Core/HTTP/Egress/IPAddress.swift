import Glibc

/// An IPv4 or IPv6 address as its network-order bytes (4 or 16), parsed with `inet_pton`.
///
/// The egress guard works on addresses, never on names: a name is resolved once, each address is
/// judged here, and the connection is pinned to the judged one.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6, in network order.
    public let bytes: [UInt8]

    /// Parses a literal address (`203.0.113.7`, `::1`, `[::1]`); `nil` for anything else, names included.
    public init?(_ text: some StringProtocol) {
        var literal = String(text)
        if literal.hasPrefix("["), literal.hasSuffix("]") { literal = String(literal.dropFirst().dropLast()) }
        // A zone index (`fe80::1%eth0`) names an interface of this machine; it is never a public target.
        if let percent = literal.firstIndex(of: "%") { literal = String(literal[..<percent]) }
        var v4 = in_addr()
        if inet_pton(AF_INET, literal, &v4) == 1 {
            bytes = withUnsafeBytes(of: v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, literal, &v6) == 1 {
            bytes = withUnsafeBytes(of: v6) { Array($0) }
            return
        }
        return nil
    }

    /// Wraps raw bytes (4 or 16) taken from a `sockaddr`.
    init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Whether this is an IPv4 address.
    public var isIPv4: Bool { bytes.count == 4 }

    /// The IPv4 address an IPv6 address carries inside (IPv4-mapped `::ffff:a.b.c.d`, NAT64
    /// `64:ff9b::a.b.c.d`, IPv4-compatible `::a.b.c.d`), which is where such a connection really goes.
    var embeddedIPv4: IPAddress? {
        guard bytes.count == 16 else { return nil }
        let head = bytes[0..<12]
        let mapped: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]
        let nat64: [UInt8] = [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0]
        let compatible = [UInt8](repeating: 0, count: 12)
        guard
            Array(head) == mapped || Array(head) == nat64
                || (Array(head) == compatible && bytes[12...] != [0, 0, 0, 0] && bytes[12...] != [0, 0, 0, 1])
        else { return nil }
        return IPAddress(bytes: Array(bytes[12...]))
    }

    /// The address as `inet_ntop` writes it (IPv6 without brackets).
    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = isIPv4 ? AF_INET : AF_INET6
        let written = bytes.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &buffer, socklen_t(buffer.count)) }
        guard written != nil else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The address as it is written in a URL or in `host:port` (IPv6 in brackets).
    public var urlHost: String { isIPv4 ? description : "[\(description)]" }
}
