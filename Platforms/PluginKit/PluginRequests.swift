public import Foundation

/// The social account a call acts for, opened by the host from its sealed store.
public struct PluginAccount: Sendable, Decodable {
    /// The bearer token the platform expects.
    public var accessToken: String
    /// The platform's id of the account, page or organization ("urn:li:organization:1", a page id).
    public var accountID: String
    /// Platform-specific settings stored with the account (an Instagram user id, a webhook secret).
    public var settings: [String: String]

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case accountID = "account_id"
        case settings
    }

    /// Decodes an account; `settings` may be absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        accessToken = try container.decode(String.self, forKey: .accessToken)
        accountID = try container.decodeIfPresent(String.self, forKey: .accountID) ?? ""
        settings = try container.decodeIfPresent([String: String].self, forKey: .settings) ?? [:]
    }
}

/// A media reference attached to a post: the host passes URLs, the platform fetches them.
public struct PluginMedia: Sendable, Decodable {
    /// "image" or "video".
    public var kind: String
    /// Where the platform can fetch it.
    public var url: String
}

/// What `publish` receives.
public struct PublishRequest: Sendable, Decodable {
    /// The same for every attempt at this post on this platform: send it where the platform
    /// supports idempotency, so a repeated request cannot post twice.
    public var idempotencyKey: String
    /// The post's text, already validated against the manifest's limit.
    public var text: String
    /// Attached media.
    public var media: [PluginMedia]
    /// Where the platform's API is (the manifest's, the account's, or the operator's override).
    public var baseURL: String
    /// The account to post as.
    public var account: PluginAccount

    enum CodingKeys: String, CodingKey {
        case idempotencyKey = "idempotency_key"
        case text, media
        case baseURL = "base_url"
        case account
    }

    /// Decodes a request; `media` may be absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        idempotencyKey = try container.decode(String.self, forKey: .idempotencyKey)
        text = try container.decode(String.self, forKey: .text)
        media = try container.decodeIfPresent([PluginMedia].self, forKey: .media) ?? []
        baseURL = try container.decode(String.self, forKey: .baseURL)
        account = try container.decode(PluginAccount.self, forKey: .account)
    }
}

/// What `check_status` receives: the publish request, plus what the host knows of the attempt.
public struct StatusRequest: Sendable, Decodable {
    /// The request whose outcome is unknown.
    public var publish: PublishRequest
    /// The platform's id, when an earlier answer gave one.
    public var remoteID: String?
    /// The attempt was sent after this instant (milliseconds since 1970): older posts are not it.
    public var sentAfterMilliseconds: Int64

    enum CodingKeys: String, CodingKey {
        case remoteID = "remote_id"
        case sentAfterMilliseconds = "sent_after_ms"
    }

    /// Decodes the publish fields and the status fields from one object.
    public init(from decoder: any Decoder) throws {
        publish = try PublishRequest(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        remoteID = try container.decodeIfPresent(String.self, forKey: .remoteID)
        sentAfterMilliseconds = try container.decodeIfPresent(Int64.self, forKey: .sentAfterMilliseconds) ?? 0
    }
}

/// What `validate` receives.
public struct ValidateRequest: Sendable, Decodable {
    /// The post's text.
    public var text: String
    /// Attached media.
    public var media: [PluginMedia]

    enum CodingKeys: String, CodingKey { case text, media }

    /// Decodes a request; `media` may be absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        text = try container.decode(String.self, forKey: .text)
        media = try container.decodeIfPresent([PluginMedia].self, forKey: .media) ?? []
    }
}
