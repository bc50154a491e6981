import Foundation
import LeopostPluginKit

/// Turns the Graph API's failed answers into the ABI's classification.
///
/// Graph answers most errors with HTTP 400 or 403 whatever their cause, so the numeric error
/// code decides, following Meta's error-handling guide: 190 (and 102) a token to renew; 4, 9,
/// 17, 32, 341, 368, 613 and the 80000-range business-use-case codes a throttle; 10 and 200-299
/// a permission lost; 100 a bad parameter; 506 a duplicate post; 1 and 2 a passing outage.
enum MetaOutcome {
    /// How long to wait after a throttle when Meta gives no `estimated_time_to_regain_access`.
    static let rateLimitDelay: UInt32 = 300

    /// Classifies a failed call.
    /// - Parameters:
    ///   - response: The failed answer.
    ///   - publishing: The call itself may have created the post (a Page feed post, an Instagram
    ///     `media_publish`): an outage then leaves the outcome unknown. Reads and Instagram
    ///     container steps create nothing visible, so they are simply retried.
    static func failure(_ response: PluginHost.Response, publishing: Bool) -> PluginOutcome {
        guard response.transport == .answered, let error = response.json(GraphErrorBody.self)?.error, let code = error.code else {
            return .failure(of: response, platform: "Meta", idempotent: !publishing)
        }
        let detail = describe(response.status, error)
        if error.errorSubcode == 2_207_027 {
            // "Media ID is not available": the container is not ready; nothing was published.
            return .retryAfter(seconds: 10, message: detail)
        }
        switch code {
        case 190, 102:
            // Meta marks some token validation failures transient: those are worth one more try.
            return error.isTransient == true ? .retryAfter(seconds: 60, message: detail) : .refreshToken(detail)
        case 4, 9, 17, 32, 341, 368, 613, 80_000...80_014:
            return .retryAfter(seconds: regainDelay(response.headers) ?? rateLimitDelay, message: detail)
        case 10, 200...299:
            return .disconnected("\(detail). The token lost a permission or the Page role: reconnect the account.")
        case 506:
            // "Duplicate status message": the same text was just posted, possibly by an attempt
            // whose answer was lost. Reconcile rather than refuse.
            return publishing ? .unknownOutcome("\(detail). An earlier attempt may have published it.") : .badRequest(detail)
        case 1, 2:
            return publishing ? .unknownOutcome(detail) : .retryAfter(seconds: 30, message: detail)
        case 100:
            return .badRequest(detail)
        default:
            return .failure(of: response, platform: "Meta", idempotent: !publishing)
        }
    }

    /// Whether the answer says the object is not there: code 100 with subcode 33 ("Unsupported
    /// get request. Object with ID … does not exist"), or a plain 404.
    static func isMissingObject(_ response: PluginHost.Response) -> Bool {
        guard response.transport == .answered else { return false }
        if response.status == 404 { return true }
        let error = response.json(GraphErrorBody.self)?.error
        return error?.code == 100 && error?.errorSubcode == 33
    }

    /// Seconds until Meta expects to serve again: the largest `estimated_time_to_regain_access`
    /// (minutes) in `X-Business-Use-Case-Usage`, else a `Retry-After`, else `nil`. `X-App-Usage`
    /// holds only percentages, no time.
    static func regainDelay(_ headers: [String: String]) -> UInt32? {
        if let header = headers["x-business-use-case-usage"],
            let usage = try? JSONSerialization.jsonObject(with: Data(header.utf8)) as? [String: Any]
        {
            let minutes =
                usage.values
                .compactMap { $0 as? [[String: Any]] }
                .flatMap { $0 }
                .compactMap { ($0["estimated_time_to_regain_access"] as? NSNumber)?.doubleValue }
                .max() ?? 0
            if minutes > 0 { return UInt32(min(minutes * 60, 86_400).rounded(.up)) }
        }
        return headers["retry-after"].flatMap { UInt32($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// "Meta answered 400 (#190/463): Error validating access token: Session has expired …".
    private static func describe(_ status: Int, _ error: GraphError) -> String {
        let code = error.code.map { "#\($0)" + (error.errorSubcode.map { "/\($0)" } ?? "") } ?? "no code"
        let message = [error.message, error.errorUserMsg].compactMap { $0 }.joined(separator: " ")
        return "Meta answered \(status) (\(code)): \(message)"
    }
}
