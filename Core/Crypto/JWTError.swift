import Foundation

/// Why a JSON Web Token was refused: a code to switch on and a message a person can act on.
///
/// Errors are equal when their codes are equal. Every failure to verify is one of these; the HTTP layer
/// turns any of them into a 401 without needing to know which.
public struct JWTError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure; compare against the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case malformed, unsupportedAlgorithm, invalidSignature, expired, notYetValid, missingClaim, lifetimeTooLong
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The text is not three base64url segments of a JSON header, JSON claims and a signature.
        public static let malformed = Code(.malformed)
        /// The header names an algorithm other than HS256 (including `none`); the signature is not even checked.
        public static let unsupportedAlgorithm = Code(.unsupportedAlgorithm)
        /// The signature does not match: the token was altered or signed with another secret.
        public static let invalidSignature = Code(.invalidSignature)
        /// The token's `exp` has passed.
        public static let expired = Code(.expired)
        /// The token's `nbf` is still in the future.
        public static let notYetValid = Code(.notYetValid)
        /// A required claim (`sub`, `tid`, `iat` or `exp`) is absent.
        public static let missingClaim = Code(.missingClaim)
        /// The token lives longer (`exp - iat`) than the operator allows: a leaked one would be good for too long.
        public static let lifetimeTooLong = Code(.lifetimeTooLong)

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

extension JWTError {
    private static let remedy = "ask for a new one with `leopost token`"

    /// The token's structure is wrong; `detail` says which part.
    static func malformed(_ detail: String) -> JWTError {
        JWTError(code: .malformed, message: "the token is malformed: \(detail); send the token exactly as `leopost token` printed it")
    }

    /// The header asks for an algorithm we do not accept.
    static func unsupportedAlgorithm(_ algorithm: String) -> JWTError {
        JWTError(code: .unsupportedAlgorithm, message: "the token uses algorithm \"\(algorithm)\", only HS256 is accepted; \(remedy)")
    }

    /// The signature did not match.
    static let invalidSignature = JWTError(
        code: .invalidSignature,
        message: "the token's signature is invalid (it was altered, or signed with another LEOPOST_JWT_SECRET); \(remedy)"
    )

    /// The token expired at `exp`.
    static func expired(at exp: Int64) -> JWTError {
        JWTError(code: .expired, message: "the token expired at \(timestamp(exp)); \(remedy)")
    }

    /// The token becomes valid only at `nbf`.
    static func notYetValid(until nbf: Int64) -> JWTError {
        JWTError(
            code: .notYetValid,
            message: "the token is not valid before \(timestamp(nbf)); wait until then or check this machine's clock"
        )
    }

    /// The token was issued at `iat`, which is in the future.
    static func issuedInTheFuture(_ iat: Int64) -> JWTError {
        JWTError(code: .notYetValid, message: "the token says it was issued at \(timestamp(iat)), which is in the future; \(remedy)")
    }

    /// The token lives `lifetime` seconds, more than `limit`.
    static func lifetimeTooLong(_ lifetime: Int64, limit: Duration) -> JWTError {
        JWTError(
            code: .lifetimeTooLong,
            message:
                "the token is valid for \(lifetime / 3600) hours, longer than the \(limit.components.seconds / 3600) hours this server accepts; \(remedy)"
        )
    }

    /// A required claim is absent.
    static func missingClaim(_ name: String) -> JWTError {
        JWTError(code: .missingClaim, message: "the token has no \"\(name)\" claim; \(remedy)")
    }

    private static func timestamp(_ seconds: Int64) -> String {
        Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(.iso8601)
    }
}
