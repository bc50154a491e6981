/// Why a cryptographic operation failed: a code to switch on and a message a person can act on.
///
/// Errors are equal when their codes are equal, so tests and callers can match on the kind of failure
/// without caring about the wording. Messages never contain key material or plaintext.
public struct CryptoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure; compare against the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case randomFailure, invalidKey, malformedBox, authenticationFailed, unsupportedVersion, openSSLFailure
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The system random generator could not produce bytes; nothing secret can be made safely.
        public static let randomFailure = Code(.randomFailure)
        /// A key has the wrong length or could not be parsed from its text form.
        public static let invalidKey = Code(.invalidKey)
        /// A sealed box is too short or not laid out as `AESGCM` writes it.
        public static let malformedBox = Code(.malformedBox)
        /// A sealed box was tampered with, or opened with the wrong key or associated data.
        public static let authenticationFailed = Code(.authenticationFailed)
        /// A sealed box starts with a format version this build does not know.
        public static let unsupportedVersion = Code(.unsupportedVersion)
        /// OpenSSL reported an error; the message carries its error string.
        public static let openSSLFailure = Code(.openSSLFailure)

        /// The code's name, for logs and metric labels.
        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// What happened and what to do, for a person.
    public let message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: What happened and what to do, for a person.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// Errors are equal when their codes are, whatever the message says.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }

    /// The code and the message, for logs.
    public var description: String { "\(code): \(message)" }
}

extension CryptoError {
    /// A key of the wrong size or text form; `detail` says what was wrong with it, never what it was.
    static func invalidKey(_ detail: String) -> CryptoError {
        CryptoError(
            code: .invalidKey,
            message: "\(detail); a key is 32 random bytes, e.g. `openssl rand -hex 32`"
        )
    }

    /// A box that cannot have come from `AESGCM.seal`.
    static func malformedBox(_ detail: String) -> CryptoError {
        CryptoError(code: .malformedBox, message: "the sealed box is malformed: \(detail); it was truncated or is not a Leopost box")
    }

    /// A box that failed its integrity check.
    static let authenticationFailed = CryptoError(
        code: .authenticationFailed,
        message: "the sealed box failed authentication: it was modified, or the key or associated data differ from sealing "
            + "(check that LEOPOST_MASTER_KEY is the key the data was sealed with)"
    )

    /// A box written by a newer (or foreign) format.
    static func unsupportedVersion(_ version: UInt8) -> CryptoError {
        CryptoError(
            code: .unsupportedVersion,
            message: "the sealed box has format version \(version), this build reads only version \(AESGCM.formatVersion); "
                + "upgrade Leopost or re-seal the value"
        )
    }
}
