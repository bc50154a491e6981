public import Hummingbird
import Logging
import NIOCore

/// `/healthz` (the process answers), `/readyz` (Redis and PostgreSQL answer too) and `/metrics`.
///
/// Readiness names what is down so an operator reading a 503 knows where to look.
public struct HealthRoutes: Sendable {
    private let redis: RedisClient
    private let postgres: PostgresPool
    private let metrics: GatewayMetrics

    /// Creates the routes.
    public init(redis: RedisClient, postgres: PostgresPool, metrics: GatewayMetrics) {
        self.redis = redis
        self.postgres = postgres
        self.metrics = metrics
    }

    /// The routes, public (no credential); each checks its own secret or needs none.
    public var routes: RouteCollection<GatewayContext> {
        let routes = RouteCollection(context: GatewayContext.self)
        routes.get("/healthz") { _, _ in
            try JSONBody.response(["status": "ok"])
        }
        routes.get("/readyz") { _, context in
            async let redisDown = self.probe { try await self.redis.send(RedisCommand("PING")) }
            async let postgresDown = self.probe { try await self.postgres.query("SELECT 1") }
            let (redisError, postgresError) = await (redisDown, postgresDown)
            var down: [String] = []
            // The answer names what is down; addresses and driver messages go to the log only.
            if let redisError {
                down.append("redis")
                context.logger.error("readiness: redis unreachable", metadata: [LogKey.redisURL: "\(self.redis.url)", LogKey.error: "\(redisError)"])
            }
            if let postgresError {
                down.append("postgres")
                context.logger.error(
                    "readiness: postgres unreachable",
                    metadata: [LogKey.postgresAddress: "\(self.postgres.configuration.address)", LogKey.error: "\(postgresError)"]
                )
            }
            guard down.isEmpty else { throw APIError.unavailable("not ready: \(down.joined(separator: " and ")) unreachable; see the server log") }
            return try JSONBody.response(["status": "ready"])
        }
        routes.get("/metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: self.metrics.exposition()))
            )
        }
        return routes
    }

    private func probe(_ check: @Sendable () async throws -> some Sendable) async -> String? {
        do {
            _ = try await check()
            return nil
        } catch let error as RedisError {
            return error.message
        } catch let error as PostgresError {
            return error.message
        } catch {
            return "\(error)"
        }
    }
}
