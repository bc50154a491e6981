public import Foundation

extension PluginOutcome {
    /// The usual classification of a failed platform answer, for plugins whose platform follows
    /// HTTP conventions. A plugin with better knowledge (a typed error body) decides itself.
    ///
    /// - 429 or 503 → retry after the platform's `Retry-After` (or its rate-limit reset time), else 60 s;
    /// - 401 → the token must be refreshed; 403 or 404 of the account → disconnected;
    /// - other 4xx → bad request, with the platform's message;
    /// - other 5xx, and a request sent without an answer → unknown outcome, unless the platform
    ///   makes the call idempotent (`idempotent`), when a retry is safe;
    /// - nothing sent → retry in 30 s; a host outside the manifest → bad request (a plugin bug).
    /// - Parameters:
    ///   - response: The failed answer.
    ///   - platform: The platform's name, for messages ("Mastodon").
    ///   - idempotent: The request carried an idempotency key the platform honours.
    ///   - now: The current time, to turn a reset timestamp into a delay.
    public static func failure(of response: PluginHost.Response, platform: String, idempotent: Bool = false, now: Date = Date()) -> PluginOutcome {
        switch response.transport {
        case .notSent:
            return .retryAfter(seconds: 30, message: "\(platform) could not be reached: \(response.errorMessage ?? "no connection")")
        case .noAnswer:
            let reason = "\(platform) did not answer after the request was sent: \(response.errorMessage ?? "no answer")"
            return idempotent ? .retryAfter(seconds: 5, message: reason) : .unknownOutcome(reason)
        case .hostNotAllowed, .invalidRequest:
            return .badRequest("the plugin's request was refused by Leopost: \(response.errorMessage ?? "not allowed")")
        case .answered:
            break
        }
        let detail = "\(platform) answered \(response.status): \(response.bodySnippet)"
        switch response.status {
        case 429, 503:
            return .retryAfter(seconds: retryDelay(response.headers, now: now) ?? 60, message: detail)
        case 401:
            return .refreshToken(detail)
        case 403, 404, 410:
            return .disconnected(detail)
        case 400..<500:
            return .badRequest(detail)
        default:
            return idempotent ? .retryAfter(seconds: 30, message: detail) : .unknownOutcome(detail)
        }
    }

    /// Seconds to wait from `Retry-After` (seconds) or `x-rate-limit-reset` (a Unix time).
    static func retryDelay(_ headers: [String: String], now: Date) -> UInt32? {
        if let value = headers["retry-after"], let seconds = UInt32(value.trimmingCharacters(in: .whitespaces)) {
            return seconds
        }
        // X sends a Unix time; Mastodon an ISO 8601 instant.
        guard let value = headers["x-rate-limit-reset"] ?? headers["x-ratelimit-reset"] else { return nil }
        let reset = Double(value) ?? ISO8601Instant.parse(value.trimmingCharacters(in: .whitespaces))?.timeIntervalSince1970
        guard let reset else { return nil }
        return UInt32(max(1, min(reset - now.timeIntervalSince1970, 86_400)).rounded(.up))
    }
}
