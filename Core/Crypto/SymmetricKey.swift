/// A 256-bit secret key for `AESGCM`, such as `LEOPOST_MASTER_KEY`.
///
/// The bytes never leave the value except to OpenSSL: `description`, `debugDescription` and reflection
/// (`dump`, string interpolation) show a redacted placeholder, so a key cannot end up in a log by accident.
public struct SymmetricKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The length of a key in bytes (AES-256).
    public static let byteCount = 32

    private let bytes: [UInt8]

    /// Creates a key from raw bytes.
    /// - Parameter bytes: Exactly 32 bytes, ideally straight from `SecureRandom`.
    /// - Throws: `CryptoError` with code `.invalidKey` for any other length.
    public init(bytes: some Collection<UInt8>) throws {
        guard bytes.count == Self.byteCount else {
            throw CryptoError.invalidKey("the key has \(bytes.count) bytes, AES-256 needs exactly \(Self.byteCount)")
        }
        self.bytes = Array(bytes)
    }

    /// Creates a key from 64 hex digits, the form `openssl rand -hex 32` prints.
    ///
    /// Surrounding whitespace and newlines (common in files and environment variables) are ignored.
    /// - Parameter hex: The key text.
    /// - Throws: `CryptoError` with code `.invalidKey` if the text is not hex or not 32 bytes.
    public init(hex: String) throws {
        guard let bytes = Hex.decode(Self.trimmed(hex)) else {
            throw CryptoError.invalidKey("the key is not valid hex (expected 64 characters 0-9 a-f)")
        }
        try self.init(bytes: bytes)
    }

    /// Creates a key from unpadded base64url text (43 characters), the form `SymmetricKey.random()` keys are
    /// usually stored in.
    ///
    /// Surrounding whitespace and newlines are ignored.
    /// - Parameter base64URL: The key text.
    /// - Throws: `CryptoError` with code `.invalidKey` if the text is not base64url or not 32 bytes.
    public init(base64URL: String) throws {
        guard let bytes = Base64URL.decode(Self.trimmed(base64URL)) else {
            throw CryptoError.invalidKey("the key is not valid unpadded base64url (expected 43 characters A-Z a-z 0-9 - _)")
        }
        try self.init(bytes: bytes)
    }

    /// Creates a new random key.
    /// - Throws: `CryptoError` with code `.randomFailure` if the random generator failed.
    public static func random() throws -> SymmetricKey {
        try SymmetricKey(bytes: SecureRandom.bytes(count: byteCount))
    }

    /// Calls `body` with the key bytes; only for handing them to OpenSSL, never for storing them elsewhere.
    func withUnsafeBytes<Result>(_ body: (UnsafePointer<UInt8>) throws -> Result) rethrows -> Result {
        try bytes.withCryptoBytes { pointer, _ in try body(pointer) }
    }

    /// A redacted placeholder: keys are never printed.
    public var description: String { "SymmetricKey(<redacted>)" }

    /// A redacted placeholder: keys are never printed, not even in debug output.
    public var debugDescription: String { description }

    /// An empty mirror, so `dump` and reflection-based printers cannot reach the bytes.
    public var customMirror: Mirror { Mirror(self, children: []) }

    private static func trimmed(_ text: String) -> String {
        var text = Substring(text)
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        return String(text)
    }
}
