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
    /// 400 `invalid_json`: the body is not JSON, or not of the expected shape.
    public static func invalidJSON(_ message: String) -> APIError {
        APIError(status: .badRequest, code: "invalid_json", message: message)
    }
    /// 400 `invalid_policy` when a new policy is refused; 409 when the stored one no longer passes
    /// the operator's rules. The message lists each problem with its line.
    public static func invalidPolicy(_ message: String, stored: Bool = false) -> APIError {
        APIError(status: stored ? .conflict : .badRequest, code: "invalid_policy", message: message)
    }
    /// 400 `unknown_platform`: no plugin of that name is loaded.
    public static func unknownPlatform(_ message: String) -> APIError {
        APIError(status: .badRequest, code: "unknown_platform", message: message)
    }
    /// 400 `egress_refused`: a URL the tenant gave leads where Leopost does not call for a tenant.
    public static func egressRefused(_ message: String) -> APIError {
        APIError(status: .badRequest, code: "egress_refused", message: message)
    }
    /// 400 `empty_message`: a chat message with no text.
    public static func emptyMessage(_ message: String) -> APIError {
        APIError(status: .badRequest, code: "empty_message", message: message)
    }
    /// 413 `message_too_long`: a chat message over the length limit (not the body limit).
    public static func messageTooLong(_ message: String) -> APIError {
        APIError(status: .contentTooLarge, code: "message_too_long", message: message)
    }
    /// 403 `forbidden`: the credential is valid but may not do this.
    public static func forbidden(_ message: String) -> APIError {
        APIError(status: .forbidden, code: "forbidden", message: message)
    }
    /// 403 `verification_failed`: a platform's webhook handshake did not match the connection.
    public static func verificationFailed(_ message: String) -> APIError {
        APIError(status: .forbidden, code: "verification_failed", message: message)
    }
    /// 409 `conflict`: the thing exists already, or is past the state the request needs.
    public static func conflict(_ message: String) -> APIError {
        APIError(status: .conflict, code: "conflict", message: message)
    }
    /// 429 `rate_limited` with `Retry-After`.
    public static func rateLimited(_ message: String, retryAfterSeconds seconds: Int) -> APIError {
        APIError(status: .tooManyRequests, code: "rate_limited", message: message, headers: [.retryAfter: "\(seconds)"])
    }
    /// `<channel>_refused`: a channel's API refused a set-up call; 502 when it was unreachable, 400 otherwise.
    public static func channelRefused(_ channel: String, _ message: String, unreachable: Bool) -> APIError {
        APIError(status: unreachable ? .badGateway : .badRequest, code: "\(channel)_refused", message: message)
    }
    /// 500: something failed inside; the message names only the request id.
    public static func internalError(requestID: String) -> APIError {
        APIError(status: .internalServerError, code: "internal", message: "internal error (request \(requestID)); the server log has the details")
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = ["error": ["code": code, "message": message]]
        let data = try JSONCoding.encoder.encode(body)
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
