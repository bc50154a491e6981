import Foundation
import LeopostPluginKit

/// Classifies X's failed answers for the publish worker.
///
/// X has no idempotency key, so for `POST /2/tweets` every doubt is an unknown outcome: a request
/// sent without an answer, and any 5xx (503 included, which the kit would retry: a retry of a
/// post that did go out would post it twice, or be refused as a duplicate). Reads are safe to
/// repeat and keep the kit's rules. The 429 wait follows whichever limit is spent: X sends the
/// 15-minute window in `x-rate-limit-*` and the 24-hour caps in `x-user-limit-24hour-*` and
/// `x-app-limit-24hour-*`, all resets in Unix seconds.
enum XFailure {
    /// The outcome of a failed request.
    /// - Parameters:
    ///   - response: The answer, or the transport failure.
    ///   - publishing: It was `POST /2/tweets` (not safe to repeat) rather than a read.
    ///   - now: The host's clock, to turn a reset time into a wait.
    static func outcome(_ response: PluginHost.Response, publishing: Bool, now: Date) -> PluginOutcome {
        guard response.transport == .answered else {
            return .failure(of: response, platform: "X", idempotent: !publishing, now: now)
        }
        let problem = response.json(XProblem.self)
        let message = "X answered \(response.status): \(problem?.sentence ?? response.bodySnippet)"
        switch response.status {
        case 429:
            let wait = resetDelay(response.headers, now: now) ?? 900
            return .retryAfter(seconds: wait, message: "\(message) (the limit resets in \(wait) s)")
        case 401:
            return .refreshToken(message)
        case 403:
            return problem?.isAccessProblem == false ? .badRequest(message) : .disconnected(message)
        case 400, 413, 422:
            return .badRequest(message)
        case 500..<600:
            return publishing ? .unknownOutcome(message) : .retryAfter(seconds: 30, message: message)
        default:
            return .failure(of: response, platform: "X", idempotent: !publishing, now: now)
        }
    }

    /// Seconds until the spent limit resets: `Retry-After` if present, else the latest reset among
    /// the exhausted 24-hour caps, else the 15-minute window's `x-rate-limit-reset`.
    static func resetDelay(_ headers: [String: String], now: Date) -> UInt32? {
        func number(_ name: String) -> Double? { headers[name].flatMap { Double($0.trimmingCharacters(in: .whitespaces)) } }
        if let seconds = number("retry-after") { return UInt32(max(1, min(seconds, 86_400)).rounded(.up)) }
        let spentCaps = ["x-user-limit-24hour", "x-app-limit-24hour"].filter { number("\($0)-remaining") == 0 }
        let resets = spentCaps.compactMap { number("\($0)-reset") }
        guard let reset = resets.max() ?? number("x-rate-limit-reset") else { return nil }
        return UInt32(max(1, min(reset - now.timeIntervalSince1970, 86_400)).rounded(.up))
    }
}
