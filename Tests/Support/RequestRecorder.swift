public import Hummingbird
import NIOCore
import Synchronization

/// A server that writes down every request it gets (method, path, headers) and answers each with
/// `401 {"error": ...}`: the witness of the egress and credential tests, which check what reached
/// a tenant's URL (nothing at all, or no operator key).
public final class RequestRecorder: Sendable {
    /// One request as it arrived.
    public struct Seen: Sendable {
        /// `GET`, `POST`, ...
        public let method: String
        /// The path with its query.
        public let path: String
        /// Every header, names in lower case.
        public let headers: [String: String]
    }

    private let recorded = Mutex<[Seen]>([])

    /// Creates a recorder with nothing seen.
    public init() {}

    /// Every request so far, in order.
    public var seen: [Seen] { recorded.withLock { $0 } }

    /// The routes: any method, any path.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        let record: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            self.recorded.withLock { $0.append(Seen(method: request.method.rawValue, path: request.uri.description, headers: headers)) }
            return Response(
                status: .unauthorized, headers: [.contentType: "application/json"],
                body: .init(
                    byteBuffer: ByteBuffer(string: #"{"error": {"message": "no key", "type": "invalid_request_error", "code": "invalid_api_key"}}"#)))
        }
        for method in [HTTPRequest.Method.get, .post, .put, .delete] {
            router.on("**", method: method, use: record)
        }
        return router
    }
}
