public import Hummingbird
public import LeopostCore

/// `POST /v1/media`: an image the person attaches in the web chat, sent as the raw body. Answers
/// 201 `{"media_id": "upload:…", "mime_type", "size"}`; the id then goes in a message's `media`.
/// Over the size limit is 413, a file that is not JPEG, PNG, GIF or WebP (by its bytes) is 415,
/// and more than `perMinute` uploads a minute from one caller is 429: each keeps up to 5 MiB.
public struct MediaUploadRoute: Sendable {
    /// Uploads one caller may make a minute.
    public static let perMinute = 30

    private let uploads: MediaUploads
    private let limiter: RateLimiter

    /// Creates the route over the uploads the router reads.
    public init(uploads: MediaUploads, limiter: RateLimiter) {
        self.uploads = uploads
        self.limiter = limiter
    }

    struct Uploaded: Encodable {
        let mediaId: String
        let mimeType: String?
        let size: Int
    }

    /// The route, relative to `/v1`, behind the tenant authenticator.
    public var routes: RouteCollection<GatewayContext> {
        let routes = RouteCollection(context: GatewayContext.self)
        routes.post("media") { request, context -> Response in
            let identity = try context.requireIdentity()
            let caller: String
            switch identity.credential {
            case .apiKey: caller = "api"
            case .token(let user): caller = user
            }
            if case .limited(let wait) = try await limiter.check(
                "upload:\(identity.tenantID):\(caller)", limit: .init(count: Self.perMinute, per: .seconds(60)))
            {
                let seconds = max(1, Int(wait.components.seconds) + 1)
                throw APIError.rateLimited("you can upload \(Self.perMinute) images a minute; wait \(seconds) s", retryAfterSeconds: seconds)
            }
            let limit = uploads.limits.maxBytes
            let body: [UInt8]
            do { body = Array(buffer: try await request.body.collect(upTo: limit)) } catch {
                throw APIError.payloadTooLarge(limit: limit)
            }
            do {
                let stored = try await uploads.accept(body, tenant: identity.tenantID)
                return try JSONBody.response(
                    Uploaded(mediaId: stored.reference.reference, mimeType: stored.reference.mimeType, size: stored.size), status: .created)
            } catch let error as MediaError {
                switch error.code {
                case .tooLarge: throw APIError.payloadTooLarge(limit: limit)
                case .refusedType: throw APIError(status: .unsupportedMediaType, code: error.code.rawValue, message: error.message)
                default: throw APIError.unavailable(error.message)
                }
            }
        }
        return routes
    }
}
