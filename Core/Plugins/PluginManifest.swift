public import Foundation

/// What a plugin declares about its platform (DESIGN §4): limits the preview checks a post
/// against, the hosts it may call, the rate limits the publish worker keeps, and its OAuth
/// endpoints. Read from the descriptor's JSON once, at load.
public struct PluginManifest: Sendable, Equatable, Codable {
    /// How the platform counts a post's length.
    public enum Counting: String, Sendable, Codable {
        /// Unicode characters (grapheme clusters), as Mastodon and LinkedIn count.
        case characters
        /// UTF-16 code units.
        case utf16
        /// X's weighted count: most scripts count 2, Latin 1, every URL 23.
        case weighted
    }

    /// The text limit and how it is counted.
    public struct Text: Sendable, Equatable, Codable {
        /// The most a post may hold.
        public var limit: Int
        /// How length is counted.
        public var counting: Counting
        /// What a URL counts as, when the platform shortens links (X: 23); `nil` when counted as written.
        public var urlLength: Int?

        enum CodingKeys: String, CodingKey {
            case limit, counting
            case urlLength = "url_length"
        }
    }

    /// A request budget over a window.
    public struct RateLimit: Sendable, Equatable, Codable {
        /// Requests allowed per window.
        public var requests: Int
        /// The window in seconds.
        public var seconds: Int
    }

    /// Rate limits per connected account and for the whole application.
    public struct RateLimits: Sendable, Equatable, Codable {
        /// Per social account.
        public var perAccount: RateLimit?
        /// For the app (all tenants together).
        public var perApp: RateLimit?

        enum CodingKeys: String, CodingKey {
            case perAccount = "per_account"
            case perApp = "per_app"
        }
    }

    /// Where an account is connected, for the later OAuth flows.
    public struct OAuth: Sendable, Equatable, Codable {
        /// The authorization page.
        public var authorizeURL: String?
        /// The token endpoint.
        public var tokenURL: String?
        /// The scopes asked for.
        public var scopes: [String]?

        enum CodingKeys: String, CodingKey {
            case authorizeURL = "authorize_url"
            case tokenURL = "token_url"
            case scopes
        }
    }

    /// The platform's display name ("Mastodon").
    public var platform: String
    /// The platform API version the plugin targets.
    public var apiVersion: String?
    /// Text limit and counting.
    public var text: Text
    /// Media kinds it can attach ("image", "video").
    public var media: [String]
    /// A post must carry media (Instagram).
    public var mediaRequired: Bool?
    /// Origins (`https://api.x.com`) the plugin may call through the host.
    public var hosts: [String]
    /// The API's address when neither the operator nor the account names another.
    public var baseURL: String?
    /// The account names its own API address (a Mastodon instance, a webhook URL), which the
    /// plugin may then call too.
    public var accountBaseURL: Bool?
    /// Rate limits.
    public var rateLimits: RateLimits?
    /// Repeating a publish with the same idempotency key cannot post twice, so an unknown
    /// outcome may be retried instead of reconciled.
    public var idempotentPublish: Bool?
    /// OAuth endpoints and scopes.
    public var oauth: OAuth?

    enum CodingKeys: String, CodingKey {
        case platform
        case apiVersion = "api_version"
        case text, media
        case mediaRequired = "media_required"
        case hosts
        case baseURL = "base_url"
        case accountBaseURL = "account_base_url"
        case rateLimits = "rate_limits"
        case idempotentPublish = "idempotent_publish"
        case oauth
    }

    /// Decodes and checks a manifest; the error names the field.
    static func parse(_ json: String) throws(ManifestProblem) -> PluginManifest {
        let manifest: PluginManifest
        do {
            manifest = try JSONCoding.decoder.decode(PluginManifest.self, from: Data(json.utf8))
        } catch let error as DecodingError {
            throw ManifestProblem(JSONBody.describe(error))
        } catch {
            throw ManifestProblem("\(error)")
        }
        try manifest.check()
        return manifest
    }

    private func check() throws(ManifestProblem) {
        if platform.isEmpty { throw ManifestProblem("platform: must not be empty") }
        if text.limit <= 0 { throw ManifestProblem("text.limit: must be a positive number") }
        if let limit = rateLimits?.perAccount, limit.requests <= 0 || limit.seconds <= 0 {
            throw ManifestProblem("rate_limits.per_account: requests and seconds must be positive")
        }
        if let limit = rateLimits?.perApp, limit.requests <= 0 || limit.seconds <= 0 {
            throw ManifestProblem("rate_limits.per_app: requests and seconds must be positive")
        }
        for (index, host) in hosts.enumerated() where PluginOrigin(url: host) == nil {
            throw ManifestProblem("hosts[\(index)]: \"\(host)\" is not an http(s) origin like https://api.example.com")
        }
        if let baseURL, PluginOrigin(url: baseURL) == nil {
            throw ManifestProblem("base_url: \"\(baseURL)\" is not an http(s) URL")
        }
        if baseURL == nil && accountBaseURL != true {
            throw ManifestProblem("base_url: missing (or set account_base_url: true when each account names its own)")
        }
    }

    /// A manifest rule broken, as "field: what is wrong".
    struct ManifestProblem: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }
}
