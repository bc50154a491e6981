/// Why a photo or file a person sent could not be used: too large, not a kind of image Leopost
/// passes on, or not to be had from the channel right now.
public struct MediaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Equatable {
        /// Over `MediaLimits.maxBytes`; a smaller photo works.
        case tooLarge = "media_too_large"
        /// Not JPEG, PNG, GIF or WebP (judged by its bytes, not by what the sender claimed).
        case refusedType = "media_refused_type"
        /// The channel did not hand the file over (network, its API's error); worth another try.
        case unavailable = "media_unavailable"
        /// The channel no longer has it, or this conversation's connection is gone.
        case notFound = "media_not_found"
    }

    /// What went wrong.
    public let code: Code
    /// What a person can act on.
    public let message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
