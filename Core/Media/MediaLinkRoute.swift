import HTTPTypes
public import Hummingbird
import NIOCore

/// `GET /media/<tenant>/<hash>?sig=…`: the bytes of a photo attached to a post, for the platform
/// that fetches it. Public (a platform has no credential), so it answers only a valid signature
/// (`MediaLinks`) for a key of Leopost's own shape; anything else is 404, saying nothing.
public struct MediaLinkRoute: Sendable {
    private let links: MediaLinks
    private let store: any MediaStore

    /// Creates the route over the links' signer and the media store.
    public init(links: MediaLinks, store: any MediaStore) {
        self.links = links
        self.store = store
    }

    /// The route: mount on the gateway's public router.
    public var routes: RouteCollection<GatewayContext> {
        let routes = RouteCollection(context: GatewayContext.self)
        routes.get("media/:tenant/:file") { request, context -> Response in
            let key = "\(context.parameters.get("tenant") ?? "")/\(context.parameters.get("file") ?? "")"
            guard let signature = request.uri.queryParameters.get("sig"), links.isValid(signature, for: key),
                (try? LocalMediaStore.check(key)) != nil
            else { throw APIError.notFound("no such media") }
            let stored: [UInt8]?
            do { stored = try await store.read(key) } catch let error as MediaError { throw APIError.unavailable(error.message) }
            guard let bytes = stored, let type = MediaLimits.sniff(bytes) else { throw APIError.notFound("no such media") }
            var headers = HTTPFields()
            headers[.contentType] = type
            headers[.cacheControl] = "private, max-age=3600"
            headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        return routes
    }
}
