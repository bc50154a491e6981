import Foundation
public import Hummingbird
public import Logging
import NIOCore

/// The HTTP gateway: Hummingbird with Leopost's middleware stack and the routes every deployment has.
///
/// Channels and other features add their own `RouteCollection`s to `router` before the
/// application is built; the gateway itself knows none of them.
public struct Gateway {
    /// What the gateway needs from the rest of the process.
    public struct Dependencies: Sendable {
        /// Redis, for readiness and the stages behind the routes.
        public var redis: RedisClient
        /// PostgreSQL as the server role.
        public var postgres: PostgresPool
        /// Verifies web-chat tokens.
        public var signer: JWTSigner
        /// Where request metrics go.
        public var metrics: GatewayMetrics
        /// Seals tenants' secrets; without it the secrets routes are not offered.
        public var masterKey: SymmetricKey?
        /// What the operator lets policies name; `PUT /v1/policy` refuses the rest.
        public var policyRules: PolicyParser.Rules

        /// Bundles the dependencies.
        public init(
            redis: RedisClient, postgres: PostgresPool, signer: JWTSigner, metrics: GatewayMetrics, masterKey: SymmetricKey? = nil,
            policyRules: PolicyParser.Rules = .init()
        ) {
            self.redis = redis
            self.postgres = postgres
            self.signer = signer
            self.metrics = metrics
            self.masterKey = masterKey
            self.policyRules = policyRules
        }
    }

    /// The router; add feature routes to it, then call `application`.
    public let router: Router<GatewayContext>
    /// The authenticated `/v1` group, where channels add their API routes.
    public let api: RouterGroup<GatewayContext>

    /// Builds the middleware stack and the health, metrics and identity routes.
    public init(dependencies: Dependencies, maxBodyBytes: Int) {
        let router = Router(context: GatewayContext.self)
        router.add(middleware: MetricsMiddleware(metrics: dependencies.metrics))
        router.add(middleware: ErrorMiddleware(bodyLimit: maxBodyBytes))
        router.add(middleware: BodyLimitMiddleware(limit: maxBodyBytes))
        HealthRoutes(redis: dependencies.redis, postgres: dependencies.postgres, metrics: dependencies.metrics).register(on: router)
        let authenticated = router.group("v1").add(
            middleware: TenantAuthenticator(tenants: TenantStore(pool: dependencies.postgres), signer: dependencies.signer)
        )
        authenticated.get("whoami") { _, context in
            let identity = try context.requireIdentity()
            var fields = ["tenant_id": identity.tenantID.description]
            if case .token(let user) = identity.credential { fields["user"] = user }
            return HealthRoutes.json(fields)
        }
        let usage = UsageStore(pool: dependencies.postgres)
        authenticated.get("usage") { request, context -> Response in
            let identity = try context.requireIdentity()
            let days = request.uri.queryParameters.get("days").map { Int($0) } ?? 30
            guard let days, (1...400).contains(days) else { throw APIError.badRequest("days must be a number from 1 to 400") }
            let lines = try await usage.report(tenant: identity.tenantID, days: days)
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.outputFormatting = .sortedKeys
            let body = try encoder.encode(["days": lines])
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        PolicyRoutes(store: PolicyStore(pool: dependencies.postgres, rules: dependencies.policyRules), maxBodyBytes: maxBodyBytes).register(on: authenticated)
        BrandRoutes(store: BrandStore(pool: dependencies.postgres), maxBodyBytes: maxBodyBytes).register(on: authenticated)
        FeedbackRoutes(
            feedback: FeedbackStore(pool: dependencies.postgres), users: UserStore(pool: dependencies.postgres), maxBodyBytes: maxBodyBytes
        )
        .register(on: authenticated)
        if let masterKey = dependencies.masterKey {
            SecretRoutes(store: SecretStore(pool: dependencies.postgres, masterKey: masterKey), maxBodyBytes: maxBodyBytes).register(
                on: authenticated)
        }
        self.router = router
        self.api = authenticated
    }

    /// The Hummingbird application serving `router` on `address`.
    public func application(
        address: LeopostConfiguration.Address, logger: Logger, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "leopost"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? address.port) },
            logger: logger
        )
    }
}
