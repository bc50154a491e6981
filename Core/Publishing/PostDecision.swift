public import Foundation

/// A person's answer to a post preview in a chat app: the Confirm or Cancel button under it.
///
/// The buttons carry `post:confirm:<id>` or `post:cancel:<id>` (Telegram's `callback_data`, a
/// WhatsApp reply button's `id`; 49 bytes, within Telegram's 64). The data comes back from the
/// person's app, which can be modified, so whoever handles it checks that the post belongs to the
/// chat it came from (``ChannelInbox/decide(_:post:from:through:)``).
public enum PostDecision: String, Sendable, Equatable {
    /// Publish the draft (now, or at its time).
    case confirm
    /// Cancel what has not gone out.
    case cancel

    /// The button data for this decision on `post`.
    public func buttonData(for post: UUID) -> String {
        "post:\(rawValue):\(post.uuidString.lowercased())"
    }

    /// The decision and post a button's data stands for, or `nil` for any other data.
    public static func parse(_ data: String) -> (decision: PostDecision, post: UUID)? {
        let parts = data.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "post", let decision = PostDecision(rawValue: String(parts[1])),
            let post = UUID(uuidString: String(parts[2]))
        else { return nil }
        return (decision, post)
    }
}
