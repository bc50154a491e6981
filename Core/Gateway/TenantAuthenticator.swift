import Foundation
public import Hummingbird
import Logging

/// Reads `Authorization: Bearer …` and sets the request's tenant: an API key (`lpk_…`) is checked
/// against its stored hash, anything else must be a web-chat JWT signed with the server's secret.
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
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        guard header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw APIError.unauthorized("the Authorization header must be `Bearer <API key or token>`")
        }
        let credential = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        var context = context
        context.identity = try await identify(credential)
        context.logger[metadataKey: "leopost.tenant.id"] = "\(context.identity!.tenantID)"
        return try await next(request, context)
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
        guard let tenantID = TenantID(claims.tid), try await tenants.exists(tenantID) else {
            throw APIError.unauthorized("the token names a tenant that does not exist")
        }
        return TenantIdentity(tenantID: tenantID, credential: .token(user: claims.sub))
    }
}
