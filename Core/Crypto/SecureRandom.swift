import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's generator (`RAND_bytes`).
///
/// Use it for keys, nonces, session ids and API tokens; never use `SystemRandomNumberGenerator` or
/// `Int.random` for those, so every secret in Leopost comes from one audited source.
public enum SecureRandom: Sendable {
    /// Returns `count` random bytes.
    /// - Parameter count: How many bytes; zero gives an empty array.
    /// - Throws: `CryptoError` with code `.randomFailure` if the generator could not be seeded or failed.
    public static func bytes(count: Int) throws -> [UInt8] {
        precondition(count >= 0 && count <= Int(Int32.max), "SecureRandom.bytes(count:) needs 0...Int32.max, got \(count)")
        guard count > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: count)
        let status = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        guard status == 1 else {
            throw CryptoError(
                code: .randomFailure,
                message: "the random generator failed (\(CryptoError.drainOpenSSLErrors())); "
                    + "check that /dev/urandom is readable and the system has entropy"
            )
        }
        return bytes
    }

    /// Returns a random token for use in URLs, headers and cookies: `byteCount` random bytes, base64url-encoded
    /// without padding.
    /// - Parameter byteCount: How many random bytes the token carries; the default 32 gives 256 bits and 43 characters.
    /// - Throws: `CryptoError` with code `.randomFailure` if the generator failed.
    public static func token(byteCount: Int = 32) throws -> String {
        Base64URL.encode(try bytes(count: byteCount))
    }
}
