public import Foundation

/// One piece of a message: text, a reference to media held by the channel, or a post preview.
///
/// Stored as JSON (`{"type": "text", "text": ...}`) in `messages.parts`, so a message from any
/// channel has one shape and a new kind of part needs no schema change.
public enum MessagePart: Sendable, Equatable, Codable {
    /// Plain text, as the person wrote it or the model answered it.
    case text(String)
    /// A photo, document or other file that stays where the channel keeps it.
    case media(MediaReference)
    /// A draft post shown to the person before it is published.
    case postPreview(PostPreviewPart)

    private enum CodingKeys: String, CodingKey { case type, text, media, post }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .type) {
        case "text": self = .text(try container.decode(String.self, forKey: .text))
        case "media": self = .media(try container.decode(MediaReference.self, forKey: .media))
        case "post_preview": self = .postPreview(try container.decode(PostPreviewPart.self, forKey: .post))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "unknown message part type \(other)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .text(let text):
            try container.encode("text", forKey: .type)
            try container.encode(text, forKey: .text)
        case .media(let media):
            try container.encode("media", forKey: .type)
            try container.encode(media, forKey: .media)
        case .postPreview(let post):
            try container.encode("post_preview", forKey: .type)
            try container.encode(post, forKey: .post)
        }
    }
}

/// Media a channel holds for us: Leopost keeps the reference, never the bytes.
public struct MediaReference: Sendable, Equatable, Codable {
    /// `image`, `document`, `audio`, `video`.
    public var kind: String
    /// The channel's own handle for it (a Telegram `file_id`, a WhatsApp media id, a URL).
    public var reference: String
    /// The MIME type, when the channel says.
    public var mimeType: String?
    /// The caption sent with it.
    public var caption: String?

    /// Creates a reference.
    public init(kind: String, reference: String, mimeType: String? = nil, caption: String? = nil) {
        self.kind = kind
        self.reference = reference
        self.mimeType = mimeType
        self.caption = caption
    }
}

/// A post preview inside a message: which post, for which platform, and what would go out.
public struct PostPreviewPart: Sendable, Equatable, Codable {
    /// The draft post.
    public var postID: UUID
    /// The platform the preview is for.
    public var platform: String
    /// The text as it would be published there.
    public var text: String

    /// Creates a preview part.
    public init(postID: UUID, platform: String, text: String) {
        self.postID = postID
        self.platform = platform
        self.text = text
    }
}

extension Array where Element == MessagePart {
    /// The message's text parts joined by blank lines: what a model reads and a text-only channel shows.
    public var plainText: String {
        compactMap { part -> String? in
            switch part {
            case .text(let text): text
            case .media(let media): media.caption.map { "[\(media.kind)] \($0)" } ?? "[\(media.kind)]"
            case .postPreview(let post): "[\(post.platform) preview] \(post.text)"
            }
        }.joined(separator: "\n\n")
    }
}

extension [MessagePart] {
    /// The post preview among the parts, if any: a message carrying one is shown with
    /// Confirm/Cancel buttons by channels that have them.
    public var postPreview: PostPreviewPart? {
        for part in self {
            if case .postPreview(let preview) = part { return preview }
        }
        return nil
    }
}
