import COpenSSL

/// Authenticated encryption with AES-256-GCM, in a self-describing box, for secrets at rest
/// (channel and platform tokens sealed under `LEOPOST_MASTER_KEY`).
///
/// A box is `version (1 byte, 0x01) || nonce (12 bytes) || ciphertext || tag (16 bytes)`, so it can be
/// stored as one value and opened with nothing but the key. The version byte is authenticated along with
/// the caller's associated data. Nonces are random: seal at most about 2^32 boxes under one key.
///
/// ```swift
/// let box = try AESGCM.seal(Array(token.utf8), using: masterKey, authenticating: Array(tenantID.utf8))
/// let plain = try AESGCM.open(box, using: masterKey, authenticating: Array(tenantID.utf8))
/// ```
public enum AESGCM: Sendable {
    /// The format version this build writes and reads.
    public static let formatVersion: UInt8 = 0x01
    /// The length of the random nonce in bytes.
    public static let nonceByteCount = 12
    /// The length of the authentication tag in bytes.
    public static let tagByteCount = 16
    /// The size a box adds to its plaintext: version, nonce and tag.
    public static let overhead = 1 + nonceByteCount + tagByteCount

    /// Encrypts and authenticates a plaintext under a fresh random nonce.
    /// - Parameters:
    ///   - plaintext: The secret to seal.
    ///   - key: The 256-bit key.
    ///   - aad: Associated data that is authenticated but not stored, binding the box to its context (for example
    ///     the tenant id and column name), so a box copied to another row fails to open.
    /// - Returns: The box, `plaintext.count + AESGCM.overhead` bytes.
    /// - Throws: `CryptoError` with code `.randomFailure` or `.openSSLFailure`.
    public static func seal(
        _ plaintext: some Collection<UInt8>,
        using key: SymmetricKey,
        authenticating aad: [UInt8] = []
    ) throws -> [UInt8] {
        let nonce = try SecureRandom.bytes(count: nonceByteCount)
        let header = [formatVersion] + nonce
        let sealed = try GCMCipher.seal(Array(plaintext), key: key, nonce: nonce, aad: [formatVersion] + aad)
        return header + sealed.ciphertext + sealed.tag
    }

    /// Checks and decrypts a box made by `seal(_:using:authenticating:)`.
    /// - Parameters:
    ///   - box: The stored box.
    ///   - key: The key it was sealed with.
    ///   - aad: The same associated data it was sealed with.
    /// - Returns: The plaintext; nothing is returned unless the box is authentic.
    /// - Throws: `CryptoError` with code `.malformedBox` (empty or shorter than 29 bytes),
    ///   `.unsupportedVersion` (first byte is not 0x01), or `.authenticationFailed` (modified box, wrong key,
    ///   wrong associated data).
    public static func open(
        _ box: some Collection<UInt8>,
        using key: SymmetricKey,
        authenticating aad: [UInt8] = []
    ) throws -> [UInt8] {
        let box = Array(box)
        guard let version = box.first else {
            throw CryptoError.malformedBox("it is empty")
        }
        guard version == formatVersion else {
            throw CryptoError.unsupportedVersion(version)
        }
        guard box.count >= overhead else {
            throw CryptoError.malformedBox("it has \(box.count) bytes, at least \(overhead) are needed")
        }
        let nonceEnd = 1 + nonceByteCount
        let tagStart = box.count - tagByteCount
        return try GCMCipher.open(
            ciphertext: Array(box[nonceEnd..<tagStart]),
            tag: Array(box[tagStart...]),
            key: key,
            nonce: Array(box[1..<nonceEnd]),
            aad: [formatVersion] + aad
        )
    }
}
