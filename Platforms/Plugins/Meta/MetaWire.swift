/// `{"id": "…"}`: what creating a Page post, an Instagram container or an Instagram media answers,
/// and what `GET /{id}?fields=id` answers for an object that exists.
struct GraphID: Decodable, Sendable {
    /// The new or found object's id (`{page-id}_{post-id}` for a Page post).
    let id: String
}

/// The Graph API's error envelope: `{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}`.
struct GraphErrorBody: Decodable, Sendable {
    /// The error itself.
    let error: GraphError
}

/// One Graph API error; the numeric `code` (and `error_subcode`) decide what to do, the message is for people.
struct GraphError: Decodable, Sendable {
    /// What went wrong, in English ("(#32) Page request limit reached").
    let message: String?
    /// "OAuthException", "GraphMethodException", ...
    let type: String?
    /// The error code (190 token, 4/17/32/613/80001 throttling, 10/200 permission, 100 parameter, 506 duplicate).
    let code: Int?
    /// Detail of the code (463 expired token, 33 missing object, 2207027 media not ready).
    let errorSubcode: Int?
    /// Meta's own hint that repeating the call may work.
    let isTransient: Bool?
    /// A message meant for the end user, when Meta wrote one.
    let errorUserMsg: String?

    enum CodingKeys: String, CodingKey {
        case message, type, code
        case errorSubcode = "error_subcode"
        case isTransient = "is_transient"
        case errorUserMsg = "error_user_msg"
    }
}

/// `GET /{container-id}?fields=status_code`: whether an Instagram container may be published.
struct GraphContainerStatus: Decodable, Sendable {
    /// FINISHED, IN_PROGRESS, ERROR, EXPIRED or PUBLISHED.
    let statusCode: String?

    enum CodingKeys: String, CodingKey {
        case statusCode = "status_code"
    }
}

/// A Graph edge's page of results: `{"data": [...], "paging": {...}}`.
struct GraphList<Item: Decodable & Sendable>: Decodable, Sendable {
    /// The items, newest first for `/feed` and `/media`.
    let data: [Item]
}

/// A Page post from `GET /{page-id}/feed?fields=id,message,created_time`.
struct GraphPagePost: Decodable, Sendable {
    /// `{page-id}_{post-id}`.
    let id: String
    /// Its text; absent for posts without one.
    let message: String?
    /// "2026-11-26T04:21:05+0000".
    let createdTime: String?

    enum CodingKeys: String, CodingKey {
        case id, message
        case createdTime = "created_time"
    }
}

/// An Instagram media from `GET /{ig-user-id}/media?fields=id,caption,timestamp`.
struct GraphMedia: Decodable, Sendable {
    /// The media id.
    let id: String
    /// Its caption, if any.
    let caption: String?
    /// "2026-11-26T04:21:05+0000".
    let timestamp: String?
}
