import Foundation
public import Hummingbird
import NIOCore

/// `GET /v1/usage?days=N`: the caller's tenant's spend and tokens by day, provider and model.
public struct UsageRoutes: Sendable {
    private let store: UsageStore

    /// Creates the routes.
    public init(store: UsageStore) {
        self.store = store
    }

    /// The routes, relative to `/v1`, mounted behind the tenant authenticator.
    public var routes: RouteCollection<GatewayContext> {
        let routes = RouteCollection(context: GatewayContext.self)
        routes.get("usage") { request, context -> Response in
            let identity = try context.requireIdentity()
            let days = request.uri.queryParameters.get("days").map { Int($0) } ?? 30
            guard let days, (1...400).contains(days) else { throw APIError.badRequest("days must be a number from 1 to 400") }
            return try JSONBody.response(["days": try await store.report(tenant: identity.tenantID, days: days)])
        }
        return routes
    }
}
