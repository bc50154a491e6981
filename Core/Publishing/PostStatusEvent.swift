public import Foundation

/// The data of a `post.status` event: one target's new state, sent to the conversation that
/// asked for the post so the person sees it go out (or why it did not).
public struct PostStatusEvent: Sendable, Codable, Equatable {
    /// The post.
    public var postID: UUID
    /// The target.
    public var targetID: UUID
    /// The platform.
    public var platform: String
    /// The new state.
    public var status: PostTarget.Status
    /// Where it can be seen, once published.
    public var url: String?
    /// Why it failed or is unconfirmed.
    public var error: String?

    enum CodingKeys: String, CodingKey {
        case postID = "post_id"
        case targetID = "target_id"
        case platform, status, url, error
    }

    /// Creates the data.
    public init(postID: UUID, targetID: UUID, platform: String, status: PostTarget.Status, url: String?, error: String?) {
        self.postID = postID
        self.targetID = targetID
        self.platform = platform
        self.status = status
        self.url = url
        self.error = error
    }
}
