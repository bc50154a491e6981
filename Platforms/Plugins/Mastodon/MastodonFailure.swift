import Foundation
import LeopostPluginKit

/// Classifies Mastodon's failed answers: the kit's HTTP rules, with Mastodon's own sentence from
/// `{"error": "..."}` as the message and the rate-limit reset read from `X-RateLimit-Reset`.
///
/// The kit's reader of that header expects whole seconds, but Mastodon writes the reset with
/// microseconds (`iso8601(6)` in `RateLimiter` and Rack::Attack), so 429 is handled here.
enum MastodonFailure {
    /// The outcome for a request that did not succeed.
    /// - Parameters:
    ///   - response: The answer, or the transport failure.
    ///   - idempotent: A repeat cannot post twice (an `Idempotency-Key` was sent, or it was a read).
    ///   - now: The host's clock, to turn the reset instant into a wait.
    static func outcome(_ response: PluginHost.Response, idempotent: Bool, now: Date) -> PluginOutcome {
        let sentence = response.transport == .answered ? response.json(MastodonErrorBody.self)?.error : nil
        if response.transport == .answered, response.status == 429 {
            let wait = resetDelay(response.headers, now: now) ?? 60
            return .retryAfter(
                seconds: wait, message: "Mastodon's rate limit is reached (\(sentence ?? "Too many requests")); it resets in \(wait) s.")
        }
        let outcome = PluginOutcome.failure(of: response, platform: "Mastodon", idempotent: idempotent, now: now)
        guard let sentence else { return outcome }
        return replacingMessage(of: outcome, with: "Mastodon answered \(response.status): \(sentence)")
    }

    /// Seconds until the limit resets: `Retry-After` if a proxy sent one, else `X-RateLimit-Reset`.
    static func resetDelay(_ headers: [String: String], now: Date) -> UInt32? {
        if let value = headers["retry-after"], let seconds = UInt32(value.trimmingCharacters(in: .whitespaces)) {
            return seconds
        }
        guard let value = headers["x-ratelimit-reset"], let reset = ISO8601Instant.parse(value.trimmingCharacters(in: .whitespaces))
        else { return nil }
        return UInt32(max(1, min(reset.timeIntervalSince(now), 86_400)).rounded(.up))
    }

    private static func replacingMessage(of outcome: PluginOutcome, with message: String) -> PluginOutcome {
        switch outcome {
        case .ok: outcome
        case .retryAfter(let seconds, _): .retryAfter(seconds: seconds, message: message)
        case .refreshToken: .refreshToken(message)
        case .badRequest: .badRequest(message)
        case .disconnected: .disconnected(message)
        case .unknownOutcome: .unknownOutcome(message)
        }
    }
}
