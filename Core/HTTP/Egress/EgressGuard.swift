import Dispatch
import Glibc

/// The one gate for requests to URLs a tenant chose or influenced (a policy's `base_url`, a
/// social account's instance or webhook, every plugin call): the host is resolved once here, every
/// address it resolves to is judged, and the connection is pinned to the judged address
/// (`CURLOPT_RESOLVE`), so a name that answers differently a moment later (DNS rebinding) cannot
/// switch the connection to this machine or its network.
///
/// Loopback, private (RFC 1918), shared (CGNAT), link-local (cloud metadata at 169.254.169.254),
/// IPv6 unique-local and link-local, multicast, unspecified and reserved addresses are refused,
/// unless the operator opened them with `LEOPOST_EGRESS_ALLOW`; the embedded servers' ports are
/// refused even then, unless named exactly. Requests to the operator's own endpoints do not pass
/// here (``HTTPClientRequest/egress``).
public struct EgressGuard: Sendable {
    /// What the operator opened (`LEOPOST_EGRESS_ALLOW`).
    public var allowances: [EgressAllowance]
    /// Ports an allowance by block does not open: the embedded servers' (Redis, PostgreSQL) and the gateway's own.
    public var protectedPorts: Set<Int>

    /// Creates a guard; with no allowances every non-public address is refused.
    public init(allowances: [EgressAllowance] = [], protectedPorts: Set<Int> = []) {
        self.allowances = allowances
        self.protectedPorts = protectedPorts
    }

    /// Why `address:port` is refused, or `nil` when a tenant's request may go there.
    public func refusal(_ address: IPAddress, port: Int) -> String? {
        // `::ffff:127.0.0.1` connects to 127.0.0.1: judge (and allow) where the connection goes.
        let address = address.embeddedIPv4 ?? address
        if allowances.contains(where: { $0.opens(address, port: port, protected: protectedPorts) }) { return nil }
        if let kind = AddressClass.of(address) {
            return "\(address.urlHost):\(port) is a private address (\(kind.phrase))"
        }
        if protectedPorts.contains(port), allowances.contains(where: { $0.network.contains(address) }) {
            return "\(address.urlHost):\(port) is the port of one of Leopost's own servers"
        }
        return nil
    }

    /// Checks a URL when it is stored: a literal address is judged now (`base_url 127.0.0.1:6379 is
    /// a private address (loopback)`); a name (`localhost` included) is judged at call time, when it
    /// is resolved, since what it resolves to can change.
    /// - Parameter field: the field the URL came from, to start the message with.
    /// - Returns: the refusal, or `nil`.
    public func refusal(url: String, field: String) -> String? {
        guard let origin = try? PreparedRequest.origin(of: url), let port = Int(origin.port) else { return nil }
        guard let address = IPAddress(origin.host) else { return nil }
        return refusal(address, port: port).map { "\(field) \($0)" }
    }

    /// Resolves `host` once and judges every address it resolves to; a name with one refused address
    /// is refused whole (a round-robin answer must not let some connections in).
    /// - Returns: the address to pin the connection to.
    /// - Throws: ``HTTPClientError/Code/egressRefused`` naming `field`, or
    ///   ``HTTPClientError/Code/connectionFailed`` when the name does not resolve.
    func admit(host: String, port: Int, field: String, target: String) async throws(HTTPClientError) -> IPAddress {
        let addresses: [IPAddress]
        if let literal = IPAddress(host) {
            addresses = [literal]
        } else {
            addresses = try await Self.resolve(host, target: target)
        }
        for address in addresses {
            if let reason = refusal(address, port: port) {
                let via = IPAddress(host) == nil ? " (\(host) resolves to it)" : ""
                throw .about(
                    target, .egressRefused,
                    "\(field) \(reason)\(via); Leopost does not call private networks for a tenant (the operator may allow a target with LEOPOST_EGRESS_ALLOW)"
                )
            }
        }
        return addresses[0]
    }

    /// `getaddrinfo` on a thread of its own: it blocks, and the cooperative pool must not.
    private static func resolve(_ host: String, target: String) async throws(HTTPClientError) -> [IPAddress] {
        let outcome: Result<[IPAddress], HTTPClientError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var hints = addrinfo()
                hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
                var list: UnsafeMutablePointer<addrinfo>?
                let status = getaddrinfo(host, nil, &hints, &list)
                guard status == 0, let list else {
                    let reason = String(cString: gai_strerror(status))
                    continuation.resume(returning: .failure(.about(target, .connectionFailed, "could not resolve \(host): \(reason)")))
                    return
                }
                defer { freeaddrinfo(list) }
                var found: [IPAddress] = []
                var entry: UnsafeMutablePointer<addrinfo>? = list
                while let current = entry {
                    if let address = current.pointee.ai_addr, let parsed = Self.address(of: address), !found.contains(parsed) {
                        found.append(parsed)
                    }
                    entry = current.pointee.ai_next
                }
                continuation.resume(
                    returning: found.isEmpty ? .failure(.about(target, .connectionFailed, "\(host) has no address")) : .success(found))
            }
        }
        return try outcome.get()
    }

    private static func address(of socket: UnsafeMutablePointer<sockaddr>) -> IPAddress? {
        switch Int32(socket.pointee.sa_family) {
        case AF_INET:
            return socket.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                withUnsafeBytes(of: v4.pointee.sin_addr) { IPAddress(bytes: Array($0)) }
            }
        case AF_INET6:
            return socket.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                withUnsafeBytes(of: v6.pointee.sin6_addr) { IPAddress(bytes: Array($0)) }
            }
        default:
            return nil
        }
    }
}
