import COpenSSL

/// SHA-256 digests, computed by OpenSSL (`EVP_Digest` with `EVP_sha256`).
///
/// Use it for fingerprints and content addressing (API-key lookup hashes, idempotency keys), not for
/// passwords: a fast hash is the wrong tool there.
public enum SHA256: Sendable {
    /// The length of a digest in bytes.
    public static let byteCount = 32

    /// Hashes bytes.
    /// - Parameter bytes: The data to hash; any collection of bytes (`[UInt8]`, `ArraySlice`, `Data`, ...).
    /// - Returns: The 32-byte digest.
    public static func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: byteCount)
        var length: UInt32 = 0
        let status = bytes.withCryptoBytes { input, count in
            digest.withUnsafeMutableBufferPointer { output in
                EVP_Digest(input, count, output.baseAddress, &length, EVP_sha256(), nil)
            }
        }
        // Hashing into a right-sized buffer fails only when the library itself is broken.
        precondition(status == 1 && length == UInt32(byteCount), "EVP_Digest(SHA-256) failed: \(CryptoError.drainOpenSSLErrors())")
        return digest
    }

    /// Hashes the UTF-8 encoding of a string.
    /// - Parameter string: The text to hash.
    /// - Returns: The 32-byte digest.
    public static func hash(_ string: String) -> [UInt8] {
        hash(Array(string.utf8))
    }

    /// Hashes bytes and returns the digest as 64 lowercase hex characters, the form tools like `sha256sum` print.
    /// - Parameter bytes: The data to hash.
    public static func hexDigest(_ bytes: some Collection<UInt8>) -> String {
        Hex.encode(hash(bytes))
    }

    /// Hashes the UTF-8 encoding of a string and returns the digest as 64 lowercase hex characters.
    /// - Parameter string: The text to hash.
    public static func hexDigest(_ string: String) -> String {
        Hex.encode(hash(string))
    }
}
