import Foundation

/// One entry of `LEOPOST_EGRESS_ALLOW`: private addresses the operator lets tenants' requests
/// reach, as `address:port` (`127.0.0.1:8081`, `[::1]:9000`) or a CIDR block (`10.20.0.0/16`).
///
/// A block opens every port but the embedded servers' own (Redis, PostgreSQL, the gateway); only
/// an entry that names such a port exactly opens it.
public struct EgressAllowance: Hashable, Sendable, CustomStringConvertible {
    /// The addresses it opens.
    public let network: IPNetwork
    /// The one port it opens, or `nil` for all of them.
    public let port: Int?

    /// Creates an allowance.
    public init(network: IPNetwork, port: Int? = nil) {
        self.network = network
        self.port = port
    }

    /// Parses one entry; `nil` when it is neither `address:port` nor a CIDR block.
    public init?(_ text: some StringProtocol) {
        let entry = String(text).trimmingCharacters(in: .whitespaces)
        if let network = IPNetwork(entry) {
            self.init(network: network)
            return
        }
        // `address:port`, the address in brackets when it is IPv6.
        guard let colon = entry.lastIndex(of: ":"), let port = Int(entry[entry.index(after: colon)...]), (1...65535).contains(port),
            let address = IPAddress(entry[..<colon]), !(entry[..<colon].contains(":") && !entry.hasPrefix("["))
        else { return nil }
        self.init(network: IPNetwork(address.description)!, port: port)
    }

    /// Parses a comma-separated list.
    /// - Throws: `ConfigurationError` naming `variable` and the entry it could not read.
    public static func list(_ text: String, variable: String) throws -> [EgressAllowance] {
        try text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map { entry in
            guard let allowance = EgressAllowance(entry) else {
                throw ConfigurationError(
                    variable: variable, message: "\"\(entry)\" is neither address:port (127.0.0.1:8081, [::1]:9000) nor a CIDR block (10.0.0.0/8)")
            }
            return allowance
        }
    }

    /// Whether it opens `address:port`; `protected` ports open only when named exactly.
    func opens(_ address: IPAddress, port: Int, protected: Set<Int>) -> Bool {
        guard network.contains(address) else { return false }
        if let own = self.port { return own == port }
        return !protected.contains(port)
    }

    /// As it would be written in `LEOPOST_EGRESS_ALLOW`.
    public var description: String {
        guard let port else { return network.description }
        return "\(network.base.urlHost):\(port)"
    }
}
