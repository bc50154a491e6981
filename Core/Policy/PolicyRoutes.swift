import Foundation
public import Hummingbird
import NIOCore

/// `GET /v1/policy` (the effective policy as YAML) and `PUT /v1/policy` (YAML or JSON; JSON is
/// valid YAML, so one parser reads both). Changing the policy needs the tenant's API key: a web
/// chat token belongs to a user of the tenant, not to whoever configures it.
public struct PolicyRoutes: Sendable {
    private let store: PolicyStore
    private let maxBodyBytes: Int

    /// Creates the routes.
    public init(store: PolicyStore, maxBodyBytes: Int) {
        self.store = store
        self.maxBodyBytes = maxBodyBytes
    }

    /// The routes, relative to `/v1`, mounted behind the tenant authenticator.
    public var routes: RouteCollection<GatewayContext> {
        let routes = RouteCollection(context: GatewayContext.self)
        routes.get("policy") { _, context -> Response in
            let identity = try context.requireIdentity()
            let policy = try await store.effective(tenant: identity.tenantID)
            return Response(
                status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: PolicyRenderer.yaml(policy)))
            )
        }
        routes.put("policy") { request, context -> Response in
            let identity = try context.requireAPIKey(for: "changing the policy")
            let body = try await request.body.collect(upTo: maxBodyBytes)
            guard let text = body.getString(at: body.readerIndex, length: body.readableBytes), !text.isEmpty else {
                throw APIError.badRequest("send the policy as YAML or JSON in the body")
            }
            do {
                try await store.apply(text, tenant: identity.tenantID)
            } catch let error as PolicyValidationError {
                throw APIError.invalidPolicy(error.issues.map(\.description).joined(separator: "; "))
            }
            return try JSONBody.response(["status": "applied"])
        }
        return routes
    }
}
