/// A CIDR block (`10.0.0.0/8`, `fc00::/7`): the unit both the guard's refusals and the operator's
/// allowances are written in.
public struct IPNetwork: Hashable, Sendable, CustomStringConvertible {
    /// The block's first address.
    public let base: IPAddress
    /// How many leading bits are fixed.
    public let prefixLength: Int

    /// Parses `address/prefix` or a bare address (a block of one).
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let base = IPAddress(parts[0]) else { return nil }
        let bits = base.bytes.count * 8
        let length: Int
        if parts.count == 2 {
            guard let parsed = Int(parts[1]), (0...bits).contains(parsed) else { return nil }
            length = parsed
        } else {
            length = bits
        }
        self.base = base
        self.prefixLength = length
    }

    /// Whether `address` lies in this block (an IPv4 block never holds an IPv6 address, and the reverse).
    public func contains(_ address: IPAddress) -> Bool {
        guard address.bytes.count == base.bytes.count else { return false }
        var remaining = prefixLength
        for index in base.bytes.indices where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xff << (8 - bits))
            guard address.bytes[index] & mask == base.bytes[index] & mask else { return false }
            remaining -= bits
        }
        return true
    }

    /// `base/prefix`.
    public var description: String { "\(base)/\(prefixLength)" }
}
