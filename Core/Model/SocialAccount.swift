public import Foundation

/// A tenant's connection to a platform (DESIGN §3): the token a plugin posts with, sealed at rest.
public struct SocialAccount: Sendable, Equatable {
    /// Whether the account can be posted with.
    public enum Status: String, Sendable, Codable {
        /// Usable.
        case connected
        /// The platform said the token expired or was revoked: store a new one.
        case expired
        /// The platform said the account is gone or lost permission: connect it again.
        case disconnected
    }

    /// The row's id.
    public var id: UUID
    /// The plugin's name.
    public var platform: String
    /// The platform's id of the account, page or organization.
    public var accountID: String
    /// The account's own API address (a Mastodon instance, a webhook URL), when the plugin allows one.
    public var baseURL: String?
    /// Platform-specific settings passed to the plugin.
    public var settings: [String: String]
    /// The bearer token, opened; empty when listed.
    public var accessToken: String
    /// When the token expires, if the platform said.
    public var expiresAt: Date?
    /// Whether it can be posted with.
    public var status: Status
    /// Why it is not connected.
    public var statusReason: String?

    /// Creates an account.
    public init(
        id: UUID, platform: String, accountID: String, baseURL: String?, settings: [String: String], accessToken: String, expiresAt: Date?,
        status: Status, statusReason: String?
    ) {
        self.id = id
        self.platform = platform
        self.accountID = accountID
        self.baseURL = baseURL
        self.settings = settings
        self.accessToken = accessToken
        self.expiresAt = expiresAt
        self.status = status
        self.statusReason = statusReason
    }
}
