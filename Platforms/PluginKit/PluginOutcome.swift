public import Foundation

/// How a plugin call ended, in the ABI's classification (`LP_OK` ... `LP_UNKNOWN_OUTCOME`).
///
/// The classification decides what the publish worker does next, so choose by what happened on
/// the platform, not by how the error looked: `retryAfter` only when nothing was posted,
/// `unknownOutcome` whenever the request may have been posted.
public enum PluginOutcome: Sendable {
    /// Done; the answer is encoded as the result JSON.
    case ok(any Encodable & Sendable)
    /// Nothing happened on the platform; try again after this many seconds.
    case retryAfter(seconds: UInt32, message: String)
    /// The account's token expired or was revoked; nothing was posted.
    case refreshToken(String)
    /// The platform refused the content for good.
    case badRequest(String)
    /// The account is gone or lost permission.
    case disconnected(String)
    /// The request was sent and no answer came: it may have been posted.
    case unknownOutcome(String)
}

/// The answer of a successful `publish`.
public struct PublishAnswer: Sendable, Encodable {
    /// The platform's id of the new post.
    public var remoteID: String
    /// Where a person can see it, when the platform says.
    public var url: String?

    /// Creates an answer.
    public init(remoteID: String, url: String? = nil) {
        self.remoteID = remoteID
        self.url = url
    }

    enum CodingKeys: String, CodingKey {
        case remoteID = "remote_id"
        case url
    }
}

/// The answer of a successful `check_status`.
public struct StatusAnswer: Sendable, Encodable {
    /// "published" or "not_found".
    public var state: String
    /// The platform's id, when published.
    public var remoteID: String?
    /// Where a person can see it.
    public var url: String?

    /// The post is on the platform.
    public static func published(remoteID: String, url: String? = nil) -> StatusAnswer {
        StatusAnswer(state: "published", remoteID: remoteID, url: url)
    }

    /// The platform has no such post: publishing again cannot duplicate it.
    public static let notFound = StatusAnswer(state: "not_found", remoteID: nil, url: nil)

    enum CodingKeys: String, CodingKey {
        case state
        case remoteID = "remote_id"
        case url
    }
}

/// The answer of `validate`: problems a person must fix before publishing.
public struct ValidateAnswer: Sendable, Encodable {
    /// The length as the platform counts it.
    public var length: Int
    /// Each problem as a sentence; empty when the post is fine.
    public var problems: [String]

    /// Creates an answer.
    public init(length: Int, problems: [String]) {
        self.length = length
        self.problems = problems
    }
}
