import COpenSSL
public import Foundation

extension UUID {
    /// A random (version 4) UUID from OpenSSL's generator, for every id Leopost makes.
    ///
    /// Foundation's `UUID()` on Linux opens, reads and closes `/dev/urandom` for each id (three
    /// system calls, seen with `strace`; 2% of the gateway's CPU under the webhook benchmark).
    /// OpenSSL's generator runs in the process and is seeded once. Should it ever fail, the id
    /// comes from Foundation instead: an id is never worth a crash.
    public static func random() -> UUID {
        var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        guard withUnsafeMutableBytes(of: &value, { RAND_bytes($0.baseAddress?.assumingMemoryBound(to: UInt8.self), 16) }) == 1 else {
            return UUID()
        }
        value.6 = (value.6 & 0x0F) | 0x40  // version 4
        value.8 = (value.8 & 0x3F) | 0x80  // RFC 4122 variant
        return UUID(uuid: value)
    }
}
