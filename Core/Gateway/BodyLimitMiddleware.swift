public import Hummingbird

/// Refuses bodies over the configured limit with 413: at once when `Content-Length` says so, and
/// while reading for chunked bodies (through the context's `maxUploadSize`).
public struct BodyLimitMiddleware: RouterMiddleware {
    public typealias Context = GatewayContext
    /// The largest body accepted, in bytes.
    public let limit: Int

    /// Creates the middleware.
    public init(limit: Int) {
        self.limit = limit
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw APIError.payloadTooLarge(limit: limit)
        }
        var context = context
        context.maxUploadSize = limit
        return try await next(request, context)
    }
}
