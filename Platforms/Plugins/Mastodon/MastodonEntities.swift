import Foundation
import LeopostPluginKit

/// The fields of Mastodon's Status entity the plugin reads (`POST /api/v1/statuses`,
/// `GET /api/v1/statuses/:id`, `GET /api/v1/accounts/:id/statuses`). Everything else in the
/// entity is ignored, so a newer server with more fields still decodes.
struct MastodonStatus: Decodable {
    /// The status id, a string of digits.
    var id: String
    /// The status page for people (`https://instance/@user/id`); `nil` for some remote statuses.
    var url: String?
    /// The ActivityPub id, always present: the fallback link.
    var uri: String?
    /// When the server created it, ISO 8601 with milliseconds.
    var createdAt: String
    /// The text as HTML (`<p>...</p>`, links wrapped in spans).
    var content: String
    /// Present when this is a boost of another status, which is never one of our posts.
    var reblog: Boost?

    /// An empty marker: a boost's content is not read, only its presence.
    struct Boost: Decodable {}

    enum CodingKeys: String, CodingKey {
        case id, url, uri
        case createdAt = "created_at"
        case content, reblog
    }

    /// Where a person can see the status.
    var link: String? { url ?? uri }

    /// The creation instant, when the server's timestamp reads.
    var createdDate: Date? { ISO8601Instant.parse(createdAt) }
}

/// The part of Mastodon's (Credential)Account entity the plugin needs: whose statuses to list.
struct MastodonAccount: Decodable {
    /// The account id, a string of digits.
    var id: String
}

/// Mastodon's error body, `{"error": "..."}`, for messages a person can act on.
struct MastodonErrorBody: Decodable {
    /// The server's sentence ("Validation failed: Text can't be blank").
    var error: String
}
