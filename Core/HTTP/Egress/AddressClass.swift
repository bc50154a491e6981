/// Why an address is no place for a tenant's request: the special-purpose ranges of RFC 6890 and
/// its successors that lead into this machine, its networks, or nowhere public.
enum AddressClass: Sendable {
    case unspecified, loopback, privateNetwork, sharedCGNAT, linkLocal, uniqueLocal, multicast, reserved

    /// How a refusal names it: `127.0.0.1:6379 is a private address (loopback)`.
    var phrase: String {
        switch self {
        case .unspecified: "the unspecified address"
        case .loopback: "loopback"
        case .privateNetwork: "a private network, RFC 1918"
        case .sharedCGNAT: "shared carrier-grade NAT space, RFC 6598"
        case .linkLocal: "link-local, where cloud metadata services live"
        case .uniqueLocal: "an IPv6 unique local address"
        case .multicast: "multicast"
        case .reserved: "a reserved or documentation range"
        }
    }

    private static let blocks: [(String, AddressClass)] = [
        ("0.0.0.0/8", .unspecified), ("127.0.0.0/8", .loopback), ("10.0.0.0/8", .privateNetwork),
        ("172.16.0.0/12", .privateNetwork), ("192.168.0.0/16", .privateNetwork), ("100.64.0.0/10", .sharedCGNAT),
        ("169.254.0.0/16", .linkLocal), ("192.0.0.0/24", .reserved), ("192.0.2.0/24", .reserved),
        ("198.18.0.0/15", .reserved), ("198.51.100.0/24", .reserved), ("203.0.113.0/24", .reserved),
        ("224.0.0.0/4", .multicast), ("240.0.0.0/4", .reserved),
        ("::/128", .unspecified), ("::1/128", .loopback), ("fc00::/7", .uniqueLocal), ("fe80::/10", .linkLocal),
        ("fec0::/10", .uniqueLocal), ("ff00::/8", .multicast), ("100::/64", .reserved), ("2001:db8::/32", .reserved),
    ]
    private static let table: [(IPNetwork, AddressClass)] = blocks.map { (IPNetwork($0.0)!, $0.1) }

    /// The class of `address`, or `nil` for an ordinary public address. An IPv6 address that
    /// carries an IPv4 one is judged by the IPv4 address it leads to.
    static func of(_ address: IPAddress) -> AddressClass? {
        let address = address.embeddedIPv4 ?? address
        return table.first { $0.0.contains(address) }?.1
    }
}
