import Foundation
public import HTTPTypes
public import Hummingbird

/// The only error a client sees: a status and `{"error": {"code": "...", "message": "..."}}`.
///
/// Anything else a handler throws is turned into a 500 carrying only the request id, so internal
/// details (SQL, hosts, stack) never reach a client.
public struct APIError: HTTPResponseError, Sendable, Equatable {
    /// The HTTP status.
    public let status: HTTPResponse.Status
    /// A stable machine-readable code (`unauthorized`, `not_found`, `payload_too_large`, ...).
    public let code: String
    /// What went wrong and what to do, for a person.
    public let message: String
    /// Extra headers (`Retry-After`, `WWW-Authenticate`).
    public var headers: HTTPFields

    /// Creates an error answer.
    public init(status: HTTPResponse.Status, code: String, message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    /// 400: the request is malformed.
    public static func badRequest(_ message: String, code: String = "bad_request") -> APIError {
        APIError(status: .badRequest, code: code, message: message)
    }
    /// 401: no valid credential.
    public static func unauthorized(_ message: String) -> APIError {
        APIError(status: .unauthorized, code: "unauthorized", message: message, headers: [.wwwAuthenticate: "Bearer"])
    }
    /// 404: nothing here for this tenant (also what another tenant's id looks like).
    public static func notFound(_ message: String = "not found") -> APIError {
        APIError(status: .notFound, code: "not_found", message: message)
    }
    /// 413: the body exceeds the limit.
    public static func payloadTooLarge(limit: Int) -> APIError {
        APIError(status: .contentTooLarge, code: "payload_too_large", message: "the request body exceeds the limit of \(limit) bytes")
    }
    /// 503: a backing service is unreachable; retry later.
    public static func unavailable(_ message: String) -> APIError {
        APIError(status: .serviceUnavailable, code: "unavailable", message: message, headers: [.retryAfter: "1"])
    }
    /// 500: something failed inside; the message names only the request id.
    public static func internalError(requestID: String) -> APIError {
        APIError(status: .internalServerError, code: "internal", message: "internal error (request \(requestID)); the server log has the details")
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = ["error": ["code": code, "message": message]]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(body)
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
