import Foundation

/// Small pieces every HTTP-speaking plugin writes the same way.
public enum PluginURLs {
    /// `base` (an account's instance or the manifest's address, maybe with trailing slashes)
    /// joined with an API path that starts with `/`.
    public static func join(_ base: String, _ path: String) -> String {
        var base = base
        while base.hasSuffix("/") { base.removeLast() }
        return base + path
    }

    /// An id made safe for a path: ids are digits or URNs, but a stored value is not trusted blindly.
    public static func pathSegment(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
    }

    /// `Authorization: Bearer <token>` and `Accept: application/json`, the headers of a REST API
    /// that takes an OAuth access token.
    public static func bearerHeaders(_ token: String) -> [(String, String)] {
        [("Authorization", "Bearer \(token)"), ("Accept", "application/json")]
    }
}
