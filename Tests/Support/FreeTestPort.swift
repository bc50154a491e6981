import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback port nobody listens on, for tests that need a fixed address.
public enum FreeTestPort {
    /// Binds port 0 on 127.0.0.1, reads the port back and releases it.
    public static func loopback() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard ok else { throw TestEnvironmentError(message: "no free loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
