/// The body of `POST /rest/posts` for a text post, as LinkedIn's Posts API documents it.
///
/// Every field but `author` and `commentary` is fixed: a public post in the main feed, published
/// at once, that others may reshare. The constants are stored properties so the encoder writes them.
struct LinkedInNewPost: Encodable, Sendable {
    /// Where the post goes: `feedDistribution` MAIN_FEED, no targeting, no third-party channels.
    struct Distribution: Encodable, Sendable {
        let feedDistribution = "MAIN_FEED"
        let targetEntities: [String] = []
        let thirdPartyDistributionChannels: [String] = []
    }

    /// The person or organization posting: `urn:li:person:…` or `urn:li:organization:…`.
    let author: String
    /// The text, already escaped as little text.
    let commentary: String
    let visibility = "PUBLIC"
    let distribution = Distribution()
    let lifecycleState = "PUBLISHED"
    let isReshareDisabledByAuthor = false
}

/// A post as `GET /rest/posts/{urn}` and the author finder return it; only what reconciling needs.
struct LinkedInPost: Decodable, Sendable {
    /// The post's URN (`urn:li:share:…` or `urn:li:ugcPost:…`).
    let id: String?
    /// Who posted it.
    let author: String?
    /// Its text, in little format as LinkedIn stores it.
    let commentary: String?
    /// When it was created, in milliseconds since 1970.
    let createdAt: Int64?
    /// PUBLISHED, PUBLISH_REQUESTED, PUBLISH_FAILED or DRAFT.
    let lifecycleState: String?
}

/// A page of the `q=author` finder: `{"elements": [...], "paging": {...}}`.
struct LinkedInPostPage: Decodable, Sendable {
    /// The posts, most recently modified first with `sortBy=LAST_MODIFIED`.
    let elements: [LinkedInPost]
}

/// LinkedIn's error body: `{"status", "serviceErrorCode", "code", "message"}` (`code` only on
/// newer endpoints, so every field is optional).
struct LinkedInError: Decodable, Sendable {
    /// The HTTP status, repeated.
    let status: Int?
    /// LinkedIn's finer classification (65600 invalid token, 65601 revoked, 101 throttled, ...).
    let serviceErrorCode: Int?
    /// A symbolic code: INVALID_ACCESS_TOKEN, VERSION_MISSING, NONEXISTENT_VERSION, ACCESS_DENIED, ...
    let code: String?
    /// The sentence LinkedIn wrote.
    let message: String?
}
