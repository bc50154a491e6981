import Foundation
public import Hummingbird
public import Logging
import NIOCore

/// The HTTP gateway: Hummingbird with Leopost's middleware stack, health and metrics, and the
/// authenticated `/v1` group, and nothing else.
///
/// Every feature keeps its routes in its own folder as a `RouteCollection` (Hummingbird's own
/// mechanism); the composition root mounts them: public ones (webhooks, the chat page) with
/// `router.addRoutes(_:)`, API ones behind the authenticator with `api.addRoutes(_:)`.
public struct Gateway {
    /// What the gateway needs from the rest of the process.
    public struct Dependencies: Sendable {
        /// Redis, for readiness.
        public var redis: RedisClient
        /// PostgreSQL as the server role: readiness, and the tenants' API keys.
        public var postgres: PostgresPool
        /// Verifies web-chat tokens.
        public var signer: JWTSigner
        /// Where request metrics go.
        public var metrics: GatewayMetrics

        /// Bundles the dependencies.
        public init(redis: RedisClient, postgres: PostgresPool, signer: JWTSigner, metrics: GatewayMetrics) {
            self.redis = redis
            self.postgres = postgres
            self.signer = signer
            self.metrics = metrics
        }
    }

    /// The router; mount public routes on it, then call `application`.
    public let router: Router<GatewayContext>
    /// The authenticated `/v1` group; mount API routes on it.
    public let api: RouterGroup<GatewayContext>

    /// Builds the middleware stack, the health and metrics routes, and the `/v1` group.
    /// - Parameter pathLimits: body limits of their own for a few paths (`/v1/media` takes an image).
    public init(dependencies: Dependencies, maxBodyBytes: Int, pathLimits: [String: Int] = [:]) {
        let router = Router(context: GatewayContext.self)
        router.add(middleware: MetricsMiddleware(metrics: dependencies.metrics))
        router.add(middleware: ErrorMiddleware(bodyLimit: maxBodyBytes))
        router.add(middleware: BodyLimitMiddleware(limit: maxBodyBytes, pathLimits: pathLimits))
        router.addRoutes(HealthRoutes(redis: dependencies.redis, postgres: dependencies.postgres, metrics: dependencies.metrics).routes)
        self.router = router
        self.api = router.group("v1").add(
            middleware: TenantAuthenticator(tenants: TenantStore(pool: dependencies.postgres), signer: dependencies.signer)
        )
        api.addRoutes(IdentityRoutes().routes)
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
