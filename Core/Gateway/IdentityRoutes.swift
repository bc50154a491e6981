public import Hummingbird

/// `GET /v1/whoami`: the tenant (and the person, for a chat token) the credential stands for.
/// It reports what the gateway's authenticator established, so it lives beside it.
public struct IdentityRoutes: Sendable {
    /// Creates the routes.
    public init() {}

    /// The routes, relative to `/v1`, mounted behind the tenant authenticator.
    public var routes: RouteCollection<GatewayContext> {
        let routes = RouteCollection(context: GatewayContext.self)
        routes.get("whoami") { _, context in
            let identity = try context.requireIdentity()
            var fields = ["tenant_id": identity.tenantID.description]
            if case .token(let user) = identity.credential { fields["user"] = user }
            return try JSONBody.response(fields)
        }
        return routes
    }
}
