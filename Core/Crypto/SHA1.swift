import COpenSSL

/// SHA-1 digests, computed by OpenSSL, for the one place a protocol names things by SHA-1: Redis
/// identifies a loaded Lua script by the SHA-1 of its source (`EVALSHA`).
///
/// SHA-1 is broken for collisions; never use it to authenticate or fingerprint untrusted data.
enum SHA1: Sendable {
    /// Hashes bytes and returns the digest as 40 lowercase hex characters, as Redis prints it.
    static func hexDigest(_ bytes: some Collection<UInt8>) -> String {
        var digest = [UInt8](repeating: 0, count: 20)
        var length: UInt32 = 0
        let status = bytes.withCryptoBytes { input, count in
            digest.withUnsafeMutableBufferPointer { output in
                EVP_Digest(input, count, output.baseAddress, &length, EVP_sha1(), nil)
            }
        }
        // Hashing into a right-sized buffer fails only when the library itself is broken.
        precondition(status == 1 && length == 20, "EVP_Digest(SHA-1) failed: \(CryptoError.drainOpenSSLErrors())")
        return Hex.encode(digest)
    }
}
