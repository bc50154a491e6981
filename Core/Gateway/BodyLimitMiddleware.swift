public import Hummingbird

/// Refuses bodies over the configured limit with 413: at once when `Content-Length` says so, and
/// while reading for chunked bodies (through the context's `maxUploadSize`). A few paths have a
/// limit of their own (an image upload is larger than any JSON body).
public struct BodyLimitMiddleware: RouterMiddleware {
    public typealias Context = GatewayContext
    /// The largest body accepted, in bytes.
    public let limit: Int
    /// Limits of their own, by exact path (`/v1/media`).
    public let pathLimits: [String: Int]

    /// Creates the middleware.
    public init(limit: Int, pathLimits: [String: Int] = [:]) {
        self.limit = limit
        self.pathLimits = pathLimits
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let limit = pathLimits[request.uri.path] ?? limit
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw APIError.payloadTooLarge(limit: limit)
        }
        var context = context
        context.maxUploadSize = limit
        return try await next(request, context)
    }
}
