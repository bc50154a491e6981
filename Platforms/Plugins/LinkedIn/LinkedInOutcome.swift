import Foundation
import LeopostPluginKit

/// Turns LinkedIn's failed answers into the ABI's classification.
///
/// LinkedIn mostly follows HTTP conventions, so ``PluginOutcome/failure(of:platform:idempotent:now:)``
/// decides the rest; this adds what only LinkedIn's documentation and error bodies tell: a
/// retired `LinkedIn-Version` (426), a rate limit without `Retry-After`, a write conflict that
/// wrote nothing, and the duplicate-content refusal that proves an earlier attempt went out.
enum LinkedInOutcome {
    /// How long to wait after a 429 when LinkedIn names no delay. Its limits are daily (reset at
    /// midnight UTC) and it sends no `Retry-After`; ten minutes neither hammers a spent quota nor
    /// strands a post for a day after one of the short "infrastructure protection" 429s it also sends.
    static let rateLimitDelay: UInt32 = 600

    /// The classification of a failed `POST /rest/posts`: nothing known about the post unless
    /// LinkedIn said so, since the Posts API has no idempotency key.
    static func publishFailure(_ response: PluginHost.Response, version: String) -> PluginOutcome {
        classify(response, version: version, publishing: true)
    }

    /// The classification of a failed read while reconciling: a read can always be repeated.
    static func readFailure(_ response: PluginHost.Response, version: String) -> PluginOutcome {
        classify(response, version: version, publishing: false)
    }

    private static func classify(_ response: PluginHost.Response, version: String, publishing: Bool) -> PluginOutcome {
        guard response.transport == .answered else {
            return .failure(of: response, platform: "LinkedIn", idempotent: !publishing)
        }
        let error = response.json(LinkedInError.self)
        let detail = describe(response, error)
        switch response.status {
        case 401:
            return .refreshToken(detail)
        case 403:
            return .disconnected(
                "\(detail). The token lacks w_member_social / w_organization_social, or the member no longer "
                    + "administers the organization: reconnect the account.")
        case 426:
            return .badRequest(
                "\(detail). LinkedIn no longer serves API version \(version): set the account setting "
                    + "linkedin_version to an active YYYYMM version.")
        case 429:
            return .retryAfter(seconds: retryAfter(response.headers) ?? rateLimitDelay, message: detail)
        case 409:
            // "A write conflict occurred. Retry the request.": nothing was written.
            return .retryAfter(seconds: 5, message: detail)
        case 422 where publishing && (error?.message ?? "").localizedCaseInsensitiveContains("duplicate"):
            // "Content is a duplicate of urn:li:share:…": the same author posted this text moments
            // ago, most likely an earlier attempt whose answer was lost. Reconcile rather than refuse.
            return .unknownOutcome("\(detail). An earlier attempt may have published it.")
        default:
            return .failure(of: response, platform: "LinkedIn", idempotent: !publishing)
        }
    }

    /// "LinkedIn answered 426 NONEXISTENT_VERSION: Requested version 20241101 is not active".
    private static func describe(_ response: PluginHost.Response, _ error: LinkedInError?) -> String {
        guard let error, error.message != nil || error.code != nil else {
            return "LinkedIn answered \(response.status): \(response.bodySnippet)"
        }
        let code = error.code.map { " \($0)" } ?? ""
        return "LinkedIn answered \(response.status)\(code): \(error.message ?? "")"
    }

    /// A `Retry-After` in seconds, should LinkedIn ever send one.
    private static func retryAfter(_ headers: [String: String]) -> UInt32? {
        headers["retry-after"].flatMap { UInt32($0.trimmingCharacters(in: .whitespaces)) }
    }
}
