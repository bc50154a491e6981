/// Whose URL a request goes to, which decides whether it passes the ``EgressGuard``.
public enum EgressTrust: Sendable, Equatable {
    /// An endpoint the operator configured (a provider's default address or `*_BASE_URL`,
    /// `TELEGRAM_API_BASE_URL`, a platform's manifest or override): sent as is.
    case operatorEndpoint
    /// A URL a tenant wrote or influenced; `field` names it in a refusal (`base_url`,
    /// `social account base_url`). Resolved once, judged, pinned, never redirected, never proxied.
    case tenant(field: String)
}
