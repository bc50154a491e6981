import Foundation

/// The ABI's classification of a plugin call (`LP_OK` ... `LP_UNKNOWN_OUTCOME`), which decides
/// what the publish worker does next.
public enum PluginResultCode: Int32, Sendable, Equatable, CustomStringConvertible {
    /// Done.
    case ok = 0
    /// Nothing happened on the platform; try again after the delay.
    case retryAfter = 1
    /// The account's token expired or was revoked; nothing was posted.
    case refreshToken = 2
    /// The platform refused the content for good.
    case badRequest = 3
    /// The account is gone or lost permission.
    case disconnected = 4
    /// Sent without an answer: the post may be out.
    case unknownOutcome = 5

    public var description: String {
        switch self {
        case .ok: "ok"
        case .retryAfter: "retry_after"
        case .refreshToken: "refresh_token"
        case .badRequest: "bad_request"
        case .disconnected: "disconnected"
        case .unknownOutcome: "unknown_outcome"
        }
    }
}

/// What a plugin call returned, copied out of the plugin's memory.
public struct PluginCallResult: Sendable, Equatable {
    /// The classification.
    public var code: PluginResultCode
    /// With `retryAfter`: the platform's requested wait.
    public var retryAfter: Duration
    /// The result JSON: the answer on `ok`, `{"message": ...}` otherwise.
    public var json: String

    /// Creates a result.
    public init(code: PluginResultCode, retryAfter: Duration = .zero, json: String) {
        self.code = code
        self.retryAfter = retryAfter
        self.json = json
    }

    /// The `message` of a failure's JSON, or the JSON itself when it has none.
    public var message: String {
        if let object = try? JSONCoding.decoder.decode([String: String].self, from: Data(json.utf8)), let message = object["message"] {
            return message
        }
        return json
    }

    /// A failure made by the host (the plugin broke a rule): the target fails with this reason.
    static func refused(_ message: String) -> PluginCallResult {
        PluginCallResult(code: .badRequest, json: String(decoding: (try? JSONCoding.encoder.encode(["message": message])) ?? Data(), as: UTF8.self))
    }
}
