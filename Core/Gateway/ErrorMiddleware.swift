public import Hummingbird
import Logging
import NIOCore

/// Turns every error a route throws into an `APIError` answer: Hummingbird's `HTTPError`s and
/// decoding failures keep their status with a JSON body; Redis or PostgreSQL out of reach (down,
/// restarting, too slow) becomes 503 with `Retry-After`; anything else becomes a 500 that names
/// only the request id, with the details logged.
public struct ErrorMiddleware: RouterMiddleware {
    public typealias Context = GatewayContext

    /// The configured body limit, named in 413 answers for bodies found too large while reading.
    public let bodyLimit: Int

    /// Creates the middleware.
    public init(bodyLimit: Int) {
        self.bodyLimit = bodyLimit
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            throw Self.translate(error)
        } catch let error as NIOTooManyBytesError {
            _ = error
            throw APIError.payloadTooLarge(limit: bodyLimit)
        } catch let error as PolicyValidationError {
            // The tenant's stored policy names what the operator's rules no longer allow.
            throw APIError.invalidPolicy(
                "the workspace's routing policy can no longer be used (\(error.issues.map(\.description).joined(separator: "; "))); fix it with PUT /v1/policy",
                stored: true)
        } catch let error as RedisError where error.isOutage {
            throw Self.outage("Redis", error.code.description, context: context)
        } catch let error as PostgresError where error.isOutage {
            throw Self.outage("PostgreSQL", error.sqlState ?? error.code.description, context: context)
        } catch is DecodingError {
            throw APIError.invalidJSON("the request body is not valid JSON of the expected shape")
        } catch {
            context.logger.error(
                "request failed",
                metadata: [LogKey.requestID: "\(context.requestID)", LogKey.error: "\(String(reflecting: error))"]
            )
            throw APIError.internalError(requestID: context.requestID)
        }
    }

    /// 503 with `Retry-After` for a backing store that cannot take the work now: the request was
    /// fine and may be sent again as it is (the web chat's `Idempotency-Key` makes that safe).
    static func outage(_ store: String, _ reason: String, context: Context) -> APIError {
        context.logger.warning(
            "request refused: \(store) unavailable", metadata: [LogKey.requestID: "\(context.requestID)", LogKey.error: "\(reason)"])
        return APIError.unavailable("\(store) is unavailable just now (\(reason)); send the same request again in a moment")
    }

    static func translate(_ error: HTTPError) -> APIError {
        let code: String
        switch error.status {
        case .badRequest: code = "bad_request"
        case .unauthorized: code = "unauthorized"
        case .notFound: code = "not_found"
        case .methodNotAllowed: code = "method_not_allowed"
        case .contentTooLarge: code = "payload_too_large"
        case .unsupportedMediaType: code = "unsupported_media_type"
        default: code = error.status.code >= 500 ? "internal" : "request_refused"
        }
        return APIError(status: error.status, code: code, message: error.body ?? error.status.reasonPhrase, headers: error.headers)
    }
}
