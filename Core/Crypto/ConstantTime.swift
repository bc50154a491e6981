import COpenSSL

/// Comparisons whose running time does not depend on where the inputs differ.
///
/// Comparing a secret (a MAC, a token, an API-key hash) with `==` stops at the first differing byte, and
/// the time it takes tells an attacker how many leading bytes they guessed right. `CRYPTO_memcmp` does not.
public enum ConstantTime: Sendable {
    /// Tells whether two byte sequences are equal, in time that depends only on their length.
    ///
    /// Sequences of different lengths are unequal at once; that reveals only the lengths, which for
    /// MACs and digests are public anyway.
    /// - Parameters:
    ///   - a: One sequence, usually the value received.
    ///   - b: The other, usually the value expected.
    public static func equals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        return a.withCryptoBytes { left, count in
            b.withCryptoBytes { right, _ in CRYPTO_memcmp(left, right, count) == 0 }
        }
    }
}
