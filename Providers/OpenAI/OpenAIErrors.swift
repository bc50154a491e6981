import LeopostCore

/// Maps OpenAI's status codes and typed error codes (never the message text) onto `ProviderError`.
enum OpenAIErrors {
    static func error(status: Int, detail: OpenAIWire.ErrorBody.Detail?, retryAfter: Duration?, provider: String) -> ProviderError {
        let code = detail?.code ?? ""
        let type = detail?.type ?? ""
        let message = detail?.message ?? "HTTP \(status) without an error body"
        func make(_ kind: ProviderError.Code) -> ProviderError {
            ProviderError(code: kind, message: message, provider: provider, status: status, retryAfter: retryAfter)
        }
        if code == "insufficient_quota" || type == "insufficient_quota" || code == "billing_hard_limit_reached" {
            return make(.quotaExhausted)
        }
        if code == "context_length_exceeded" || code == "string_above_max_length" { return make(.contextTooLong) }
        if code == "content_filter" || code == "content_policy_violation" { return make(.contentFiltered) }
        switch status {
        case 401, 403: return make(.authentication)
        case 429: return make(.rateLimited)
        case 503: return make(.overloaded)
        case 500...599: return make(.server)
        case 400...499: return make(.badRequest)
        default: return make(code.isEmpty && type.isEmpty ? .malformedResponse : .server)
        }
    }

    /// `Retry-After` in seconds, or OpenAI's `retry-after-ms`.
    static func retryAfter(_ headers: HTTPClientHeaders) -> Duration? {
        if let milliseconds = headers.first(name: "retry-after-ms").flatMap(Double.init) {
            return .milliseconds(Int64(milliseconds))
        }
        if let seconds = headers.first(name: "retry-after").flatMap(Double.init) {
            return .milliseconds(Int64(seconds * 1000))
        }
        return nil
    }
}
