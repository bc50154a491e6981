public import Hummingbird

/// `PUT /v1/secrets/{name}` `{"value": "..."}` stores a sealed secret for the policy to refer to
/// (`api_key: secret:NAME`); `GET /v1/secrets` lists the names. Values never come back out.
/// Both need the tenant's API key: a secret is a provider key, which is the configurer's business.
public struct SecretRoutes: Sendable {
    private let store: SecretStore
    private let maxBodyBytes: Int

    /// Creates the routes.
    public init(store: SecretStore, maxBodyBytes: Int) {
        self.store = store
        self.maxBodyBytes = maxBodyBytes
    }

    struct Body: Decodable {
        let value: String
    }

    /// The routes, relative to `/v1`, mounted behind the tenant authenticator.
    public var routes: RouteCollection<GatewayContext> {
        let routes = RouteCollection(context: GatewayContext.self)
        routes.get("secrets") { _, context -> Response in
            let identity = try context.requireAPIKey(for: "listing secrets")
            return try JSONBody.response(["names": try await store.names(tenant: identity.tenantID)])
        }
        routes.put("secrets/:name") { request, context -> Response in
            let identity = try context.requireAPIKey(for: "storing a secret")
            let name = context.parameters.get("name") ?? ""
            let body = try await JSONBody.decode(Body.self, from: request, limit: maxBodyBytes)
            do { try await store.store(body.value, name: name, tenant: identity.tenantID) } catch let error as StoreError
                where error.code == .invalidInput
            {
                throw APIError.badRequest(error.message)
            }
            return try JSONBody.response(["status": "stored", "name": name])
        }
        return routes
    }
}
