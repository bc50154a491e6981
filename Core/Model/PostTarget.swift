public import Foundation

/// One platform of a post: its preview, and its publishing state
/// `queued → publishing → published | failed | unconfirmed`.
public struct PostTarget: Sendable, Equatable, Codable {
    /// The publishing state of one target.
    public enum Status: String, Sendable, Codable {
        /// Part of a draft.
        case draft
        /// Confirmed, waiting for its time or its turn.
        case queued
        /// Sent to the platform (or about to be); the answer has not been recorded yet.
        case publishing
        /// On the platform; `remote_id` says where.
        case published
        /// Refused for good; `last_error` says why.
        case failed
        /// Sent without an answer: it may be out. Reconciled by asking the platform, never
        /// re-posted blindly.
        case unconfirmed
        /// Cancelled before it went out.
        case cancelled

        /// Whether nothing more will happen to the target.
        public var isFinal: Bool { self == .published || self == .failed || self == .cancelled }
    }

    /// The target's id.
    public var id: UUID
    /// The plugin's name ("mastodon").
    public var platform: String
    /// The publishing state.
    public var status: Status
    /// How the text measures against the platform's limit.
    public var preview: PostPreview
    /// The platform's id of the post, once published.
    public var remoteID: String?
    /// Where a person can see it.
    public var remoteURL: String?
    /// Attempts made to publish it.
    public var attempts: Int
    /// Why the last attempt failed, for a person.
    public var lastError: String?
    /// The key every attempt sends where the platform supports one: the same for the target's life.
    public var idempotencyKey: String
    /// When the current attempt was sent: a reconciliation looks for posts after it.
    public var sentAt: Date?
    /// When it was published.
    public var publishedAt: Date?

    /// Creates a target.
    public init(
        id: UUID, platform: String, status: Status, preview: PostPreview, remoteID: String? = nil, remoteURL: String? = nil, attempts: Int = 0,
        lastError: String? = nil, idempotencyKey: String, sentAt: Date? = nil, publishedAt: Date? = nil
    ) {
        self.id = id
        self.platform = platform
        self.status = status
        self.preview = preview
        self.remoteID = remoteID
        self.remoteURL = remoteURL
        self.attempts = attempts
        self.lastError = lastError
        self.idempotencyKey = idempotencyKey
        self.sentAt = sentAt
        self.publishedAt = publishedAt
    }
}

/// A post's text measured as one platform counts it.
public struct PostPreview: Sendable, Equatable, Codable {
    /// The length as the platform counts it.
    public var length: Int
    /// The platform's limit.
    public var limit: Int
    /// How it is counted ("characters", "weighted", "utf16").
    public var counting: String
    /// Problems a person must fix before it can go out; empty when it fits.
    public var problems: [String]

    /// Creates a preview.
    public init(length: Int, limit: Int, counting: String, problems: [String]) {
        self.length = length
        self.limit = limit
        self.counting = counting
        self.problems = problems
    }
}
