/// Links under the public base URL (`LEOPOST_PUBLIC_URL`) through which a platform fetches a photo
/// attached to a post: `/media/<tenant>/<hash>?sig=<HMAC>`. The signature is keyed by a key derived
/// from the master key, so a link cannot be made or changed without it, and it names one file.
public struct MediaLinks: Sendable {
    private let secret: [UInt8]
    /// The public base URL, without a trailing slash.
    public let baseURL: String

    /// Creates the links; the signing key is derived from the master key, never the key itself.
    public init(masterKey: SymmetricKey, baseURL: String) {
        secret = masterKey.withUnsafeBytes { bytes in
            HMACSHA256.authenticationCode(
                for: Array("leopost media links v1".utf8), key: UnsafeBufferPointer(start: bytes, count: SymmetricKey.byteCount))
        }
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }

    /// The link to the stored file `key`.
    public func url(for key: String) -> String {
        "\(baseURL)/media/\(key)?sig=\(signature(of: key))"
    }

    /// Whether `signature` is this deployment's for `key` (compared in constant time).
    public func isValid(_ signature: String, for key: String) -> Bool {
        ConstantTime.equals(Array(self.signature(of: key).utf8), Array(signature.utf8))
    }

    private func signature(of key: String) -> String {
        String(Base64URL.encode(HMACSHA256.authenticationCode(for: Array(key.utf8), key: secret)).prefix(32))
    }
}
