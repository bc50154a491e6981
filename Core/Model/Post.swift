public import Foundation

/// A post a tenant wants on one or more platforms (DESIGN §3): one text, optional media, and a
/// ``PostTarget`` per platform that carries that platform's preview and publishing state.
public struct Post: Sendable, Equatable, Codable {
    /// Where a post is in its life. Publishing state lives on each target.
    public enum Status: String, Sendable, Codable {
        /// Made, with previews; nothing goes out until it is confirmed.
        case draft
        /// Confirmed: its targets are queued, now or at `scheduled_at`.
        case confirmed
        /// Cancelled before any target went out.
        case cancelled
    }

    /// The post's id.
    public var id: UUID
    /// The conversation that asked for it, which hears its `post.status` events.
    public var conversationID: UUID?
    /// The text, the same on every platform.
    public var text: String
    /// Attached media.
    public var media: [PostMedia]
    /// Where it is in its life.
    public var status: Status
    /// When it should go out; `nil` for as soon as it is confirmed.
    public var scheduledAt: Date?
    /// When it was made.
    public var createdAt: Date
    /// One per platform.
    public var targets: [PostTarget]

    /// Creates a post.
    public init(
        id: UUID, conversationID: UUID?, text: String, media: [PostMedia], status: Status, scheduledAt: Date?, createdAt: Date,
        targets: [PostTarget]
    ) {
        self.id = id
        self.conversationID = conversationID
        self.text = text
        self.media = media
        self.status = status
        self.scheduledAt = scheduledAt
        self.createdAt = createdAt
        self.targets = targets
    }
}

/// A media reference attached to a post: the platform fetches it from `url`.
public struct PostMedia: Sendable, Equatable, Codable {
    /// "image" or "video".
    public var kind: String
    /// Where the platform can fetch it.
    public var url: String

    /// Creates a media reference.
    public init(kind: String, url: String) {
        self.kind = kind
        self.url = url
    }
}
