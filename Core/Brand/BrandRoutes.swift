public import Hummingbird

/// `GET|PUT /v1/brand`: the brand profile every answer is written from.
///
/// Any of the tenant's people may edit it (the brand's voice is the team's to shape, and it
/// spends nothing), unlike the policy, which needs the API key.
public struct BrandRoutes: Sendable {
    private let store: BrandStore
    private let maxBodyBytes: Int

    /// Creates the routes.
    public init(store: BrandStore, maxBodyBytes: Int) {
        self.store = store
        self.maxBodyBytes = maxBodyBytes
    }

    /// The routes, relative to `/v1`, mounted behind the tenant authenticator.
    public var routes: RouteCollection<GatewayContext> {
        let routes = RouteCollection(context: GatewayContext.self)
        routes.get("brand") { _, context -> Response in
            try JSONBody.response(try await store.profile(tenant: try context.requireIdentity().tenantID))
        }
        routes.put("brand") { request, context -> Response in
            let tenant = try context.requireIdentity().tenantID
            let profile = try await JSONBody.decode(BrandProfile.self, from: request, limit: maxBodyBytes)
            do { try await store.save(profile, tenant: tenant) } catch let error as StoreError where error.code == .invalidInput {
                throw APIError.badRequest(error.message)
            }
            return try JSONBody.response(profile)
        }
        return routes
    }
}
