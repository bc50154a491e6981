import COpenSSL

/// HMAC-SHA256 message authentication (RFC 2104), computed by OpenSSL's one-shot `HMAC()`.
///
/// Use it to prove a message came from someone holding the key: webhook signatures, signed tokens,
/// signed URLs. Always check a received code with `isValidAuthenticationCode(_:for:key:)`, which compares
/// in constant time, never with `==`.
public enum HMACSHA256: Sendable {
    /// The length of an authentication code in bytes.
    public static let byteCount = 32

    /// Computes the authentication code of a message.
    /// - Parameters:
    ///   - message: The bytes to authenticate.
    ///   - key: The shared secret; any length (keys longer than 64 bytes are hashed first, as RFC 2104 says).
    /// - Returns: The 32-byte code.
    public static func authenticationCode(for message: some Collection<UInt8>, key: some Collection<UInt8>) -> [UInt8] {
        var code = [UInt8](repeating: 0, count: byteCount)
        var length: UInt32 = 0
        let result = key.withCryptoBytes { keyBytes, keyCount in
            message.withCryptoBytes { messageBytes, messageCount in
                code.withUnsafeMutableBufferPointer { output in
                    // A key longer than Int32.max cannot be passed to HMAC(); a Swift process cannot hold a
                    // sensible one anyway, so treat it as a programming error.
                    HMAC(EVP_sha256(), keyBytes, Int32(keyCount), messageBytes, messageCount, output.baseAddress, &length)
                }
            }
        }
        // HMAC() into a right-sized buffer fails only when the library itself is broken.
        precondition(result != nil && length == UInt32(byteCount), "HMAC(SHA-256) failed: \(CryptoError.drainOpenSSLErrors())")
        return code
    }

    /// Checks a received authentication code against the one the key gives for the message, in constant time.
    /// - Parameters:
    ///   - mac: The code that came with the message (for example a decoded signature header).
    ///   - message: The bytes the code claims to authenticate.
    ///   - key: The shared secret.
    /// - Returns: `true` only if `mac` is exactly the expected 32-byte code.
    public static func isValidAuthenticationCode(
        _ mac: some Collection<UInt8>,
        for message: some Collection<UInt8>,
        key: some Collection<UInt8>
    ) -> Bool {
        ConstantTime.equals(mac, authenticationCode(for: message, key: key))
    }
}
