#if canImport(Glibc)
    import Glibc
#endif

/// Finds a TCP port on 127.0.0.1 that nobody listens on, by binding port 0 and reading it back.
///
/// There is a short window in which another process could take the port; the embedded servers
/// fail loudly if that happens, and a restart picks another. Tests use it for "a port nobody
/// listens on".
public enum FreePort {
    /// A free port on 127.0.0.1.
    /// - Throws: `EmbeddedServerError.noFreePort` naming the system error.
    public static func loopback() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw EmbeddedServerError.noFreePort(errno: errno) }
        defer { Glibc.close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw EmbeddedServerError.noFreePort(errno: errno) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw EmbeddedServerError.noFreePort(errno: errno) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
