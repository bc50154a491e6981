public import Hummingbird

/// Records every request in `GatewayMetrics`, labelled by the matched route (not the raw path,
/// which would make one series per conversation id).
public struct MetricsMiddleware: RouterMiddleware {
    public typealias Context = GatewayContext
    private let metrics: GatewayMetrics

    /// Creates the middleware.
    public init(metrics: GatewayMetrics) {
        self.metrics = metrics
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context, status: response.status.code, start: start)
            return response
        } catch let error as APIError {
            record(request, context, status: error.status.code, start: start)
            throw error
        } catch {
            record(request, context, status: 500, start: start)
            throw error
        }
    }

    private func record(_ request: Request, _ context: Context, status: Int, start: ContinuousClock.Instant) {
        let route = context.endpointPath ?? "unmatched"
        metrics.recordRequest(method: request.method.rawValue, route: route, status: status, duration: .now - start)
    }
}
