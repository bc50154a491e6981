import Foundation

/// The fields of an X API v2 Tweet object the plugin reads.
struct XTweet: Decodable {
    /// The tweet id, a string of digits.
    var id: String
    /// The text as X shows it (links as t.co, `&<>` escaped).
    var text: String
    /// ISO 8601 with milliseconds (always `.000`), present when `tweet.fields=created_at` was asked.
    var createdAt: String?

    enum CodingKeys: String, CodingKey {
        case id, text
        case createdAt = "created_at"
    }

    /// Where a person can see it without knowing the author's handle.
    var link: String { "https://x.com/i/web/status/\(id)" }
}

/// `POST /2/tweets` and `GET /2/tweets/:id`: `{"data": {...}}`, or `{"errors": [...]}` with
/// status 200 when the tweet does not exist (X answers a missing resource without a 404).
struct XTweetResponse: Decodable {
    /// The tweet, when there is one.
    var data: XTweet?
    /// Partial errors ("Not Found Error", ...).
    var errors: [XProblem]?
}

/// `GET /2/users/:id/tweets`: `{"data": [...], "meta": {...}}`, or no `data` when there are none.
struct XTimelineResponse: Decodable {
    /// The latest tweets, newest first.
    var data: [XTweet]?
    /// Partial errors (an unknown user id).
    var errors: [XProblem]?
}

/// `GET /2/users/me`: `{"data": {"id", "name", "username"}}`.
struct XUserResponse: Decodable {
    /// The user.
    var data: User?

    /// The fields read: whose timeline to list.
    struct User: Decodable {
        /// The user id.
        var id: String
    }
}
