import Foundation
public import Hummingbird
import Logging

/// Reads `Authorization: Bearer …` and sets the request's tenant: an API key (`lpk_…`) is checked
/// against its stored hash, anything else must be a web-chat JWT signed with the server's secret.
///
/// A browser's `EventSource` cannot send headers, so `GET /v1/conversations/{id}/events` may carry
/// a chat token as `?access_token=` instead; no other route may, and an API key never may (a
/// credential in a URL ends up in histories and proxy logs, so it is allowed only where there is no
/// other way, and only for a short-lived token of one person).
///
/// A request without a credential passes through without identity (public routes answer it;
/// `requireIdentity()` refuses it). A credential that is present but wrong is refused here with
/// 401 and a reason (expired, bad signature, unknown key), never silently ignored.
public struct TenantAuthenticator: RouterMiddleware {
    public typealias Context = GatewayContext

    private let tenants: TenantStore
    private let signer: JWTSigner

    /// Creates the authenticator.
    public init(tenants: TenantStore, signer: JWTSigner) {
        self.tenants = tenants
        self.signer = signer
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            guard let token = try Self.eventStreamToken(request) else { return try await next(request, context) }
            var context = context
            context.identity = try await identify(token)
            context.logger[metadataKey: LogKey.tenantID] = "\(context.identity!.tenantID)"
            return try await next(request, context)
        }
        guard header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw APIError.unauthorized("the Authorization header must be `Bearer <API key or token>`")
        }
        let credential = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        var context = context
        context.identity = try await identify(credential)
        context.logger[metadataKey: LogKey.tenantID] = "\(context.identity!.tenantID)"
        return try await next(request, context)
    }

    /// The `access_token` query parameter of an EventSource request, if any.
    static func eventStreamToken(_ request: Request) throws -> String? {
        guard let token = request.uri.queryParameters.get("access_token").flatMap({ $0.isEmpty ? nil : String($0) }) else { return nil }
        guard !token.hasPrefix("lpk_") else {
            throw APIError.unauthorized("an API key must never be put in a URL; send it as `Authorization: Bearer`, and revoke this one")
        }
        let path = request.uri.path.split(separator: "/")
        guard request.method == .get, path.count == 4, path[0] == "v1", path[1] == "conversations", path[3] == "events" else {
            throw APIError.unauthorized("?access_token= is accepted only by GET /v1/conversations/{id}/events; send `Authorization: Bearer`")
        }
        return token
    }

    private func identify(_ credential: String) async throws -> TenantIdentity {
        if credential.hasPrefix("lpk_") {
            guard let tenantID = try await tenants.tenant(forAPIKey: credential) else {
                throw APIError.unauthorized("the API key is unknown or revoked")
            }
            return TenantIdentity(tenantID: tenantID, credential: .apiKey)
        }
        let claims: JWTClaims
        do {
            claims = try signer.verify(credential)
        } catch let error as JWTError {
            throw APIError.unauthorized(error.message)
        }
        guard claims.sub != UserStore.apiKeyUser else {
            throw APIError.unauthorized("the user name \"\(UserStore.apiKeyUser)\" is reserved for the tenant's API key; a token must name a person")
        }
        guard let tenantID = TenantID(claims.tid), try await tenants.exists(tenantID) else {
            throw APIError.unauthorized("the token names a tenant that does not exist")
        }
        return TenantIdentity(tenantID: tenantID, credential: .token(user: claims.sub))
    }
}
