import Foundation
public import Hummingbird

/// `GET` and `PUT /v1/me/time-zone`: the person's time zone, which the assistant reads their times
/// in and shows times back in. The web chat sets it from the browser when the person has none;
/// `null` goes back to the tenant's zone (or UTC).
public struct TimeZoneRoutes: Sendable {
    private let users: UserStore
    private let maxBodyBytes: Int

    /// Creates the routes.
    public init(users: UserStore, maxBodyBytes: Int) {
        self.users = users
        self.maxBodyBytes = maxBodyBytes
    }

    /// `{"time_zone": "Europe/Berlin"}` (the API's coders convert the key case).
    struct Body: Codable {
        var timeZone: String?
    }

    struct Answer: Codable {
        var timeZone: String?
        var effective: String
    }

    /// The routes, relative to `/v1`, mounted behind the tenant authenticator.
    public var routes: RouteCollection<GatewayContext> {
        let routes = RouteCollection(context: GatewayContext.self)
        routes.get("me/time-zone") { _, context -> Response in
            let identity = try context.requireIdentity()
            let user = try await users.user(of: identity)
            return try JSONBody.response(try await answer(user, tenant: identity.tenantID))
        }
        routes.put("me/time-zone") { request, context -> Response in
            let identity = try context.requireIdentity()
            let body = try await JSONBody.decode(Body.self, from: request, limit: maxBodyBytes)
            let user = try await users.user(of: identity)
            do { try await users.setZone(body.timeZone, of: user, tenant: identity.tenantID) } catch let error as StoreError {
                throw APIError.badRequest(error.message)
            }
            return try JSONBody.response(try await answer(user, tenant: identity.tenantID))
        }
        return routes
    }

    private func answer(_ user: UUID, tenant: TenantID) async throws -> Answer {
        Answer(
            timeZone: try await users.ownZone(of: user, tenant: tenant), effective: LocalTime.name(of: try await users.zone(of: user, tenant: tenant))
        )
    }
}
