import Foundation
public import Hummingbird

/// `POST /v1/messages/{id}/feedback` `{"rating": "up"|"down"}`: a thumbs up or down on an answer,
/// which the router shows the model as an example to follow or avoid.
public struct FeedbackRoutes: Sendable {
    private let feedback: FeedbackStore
    private let users: UserStore
    private let maxBodyBytes: Int

    /// Creates the routes.
    public init(feedback: FeedbackStore, users: UserStore, maxBodyBytes: Int) {
        self.feedback = feedback
        self.users = users
        self.maxBodyBytes = maxBodyBytes
    }

    struct Body: Decodable {
        let rating: String
    }

    /// The routes, relative to `/v1`, mounted behind the tenant authenticator.
    public var routes: RouteCollection<GatewayContext> {
        let routes = RouteCollection(context: GatewayContext.self)
        routes.post("messages/:id/feedback") { request, context -> Response in
            let identity = try context.requireIdentity()
            guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("no such message") }
            let body = try await JSONBody.decode(Body.self, from: request, limit: maxBodyBytes)
            guard let rating = FeedbackStore.Rating(rawValue: body.rating) else {
                throw APIError.badRequest("rating: expected \"up\" or \"down\"")
            }
            let userID = try await users.id(of: identity)
            do {
                try await feedback.record(rating, messageID: id, userID: userID, tenant: identity.tenantID)
            } catch let error as StoreError where error.code == .notFound {
                throw APIError.notFound("no answer with id \(id)")
            }
            return try JSONBody.response(["status": "recorded"])
        }
        return routes
    }
}
