import Foundation
public import Hummingbird

/// `PUT /v1/social-accounts/{platform}` stores the tenant's account for a platform (token sealed
/// at rest); `GET /v1/social-accounts` lists them without tokens, with their state (an account a
/// platform reported expired or disconnected says so, and why). Both need the API key.
public struct SocialAccountRoutes: Sendable {
    private let store: SocialAccountStore
    private let registry: PluginRegistry
    private let egress: EgressGuard
    private let maxBodyBytes: Int

    /// Creates the routes.
    /// - Parameter egress: judges an account's own `base_url` when it is a literal address; every
    ///   call to it is judged again when it is made.
    public init(store: SocialAccountStore, registry: PluginRegistry, egress: EgressGuard, maxBodyBytes: Int) {
        self.store = store
        self.registry = registry
        self.egress = egress
        self.maxBodyBytes = maxBodyBytes
    }

    struct Body: Decodable {
        let accessToken: String
        let accountId: String?
        let baseUrl: String?
        let settings: [String: String]?
        let expiresAt: Date?
    }

    struct Listed: Encodable {
        let platform: String
        let accountId: String
        let baseUrl: String?
        let status: String
        let statusReason: String?
        let expiresAt: Date?
    }

    /// The routes, relative to `/v1`, mounted behind the tenant authenticator.
    public var routes: RouteCollection<GatewayContext> {
        let routes = RouteCollection(context: GatewayContext.self)
        routes.get("social-accounts") { _, context -> Response in
            let identity = try context.requireAPIKey(for: "listing social accounts")
            let accounts = try await store.accounts(tenant: identity.tenantID).map {
                Listed(
                    platform: $0.platform, accountId: $0.accountID, baseUrl: $0.baseURL, status: $0.status.rawValue, statusReason: $0.statusReason,
                    expiresAt: $0.expiresAt)
            }
            return try JSONBody.response(["accounts": accounts])
        }
        routes.put("social-accounts/:platform") { request, context -> Response in
            let identity = try context.requireAPIKey(for: "storing a social account")
            let name = context.parameters.get("platform") ?? ""
            guard let plugin = registry.plugin(named: name) else {
                throw APIError.unknownPlatform("no plugin named \"\(name)\" is loaded (\(registry.loadedDescription))")
            }
            let body = try await JSONBody.decode(Body.self, from: request, limit: maxBodyBytes)
            guard !body.accessToken.isEmpty, body.accessToken.utf8.count <= 8_192 else {
                throw APIError.badRequest("access_token: must have 1 to 8192 bytes")
            }
            if let baseURL = body.baseUrl {
                guard plugin.manifest.accountBaseURL == true else {
                    throw APIError.badRequest(
                        "base_url: \(name) accounts all use \(plugin.manifest.baseURL ?? "the platform's address"); leave it out")
                }
                guard PluginOrigin(url: baseURL) != nil else { throw APIError.badRequest("base_url: \"\(baseURL)\" is not an http(s) URL") }
                if let refusal = egress.refusal(url: baseURL, field: "base_url") {
                    throw APIError.egressRefused("\(refusal); Leopost does not call private networks for a tenant")
                }
            } else if plugin.manifest.accountBaseURL == true && plugin.manifest.baseURL == nil {
                throw APIError.badRequest("base_url: \(name) needs the account's own address (an instance or webhook URL)")
            }
            let account = SocialAccount(
                id: UUID.random(), platform: name, accountID: body.accountId ?? "", baseURL: body.baseUrl, settings: body.settings ?? [:],
                accessToken: body.accessToken, expiresAt: body.expiresAt, status: .connected, statusReason: nil)
            try await store.put(account, tenant: identity.tenantID)
            return try JSONBody.response(
                Listed(
                    platform: name, accountId: account.accountID, baseUrl: account.baseURL, status: "connected", statusReason: nil,
                    expiresAt: account.expiresAt))
        }
        return routes
    }
}
