import Foundation

/// Scheme, host and port of a URL: what a plugin's manifest allows it to call.
///
/// Comparing origins, not URL prefixes, is what keeps `https://api.x.com.evil.example` and
/// `https://api.x.com@evil.example` out: both parse to another host.
struct PluginOrigin: Hashable, Sendable, CustomStringConvertible {
    let scheme: String
    let host: String
    let port: Int

    /// The origin of an absolute http(s) URL, or `nil`.
    init?(url: String) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host?.lowercased(), !host.isEmpty,
            components.user == nil, components.password == nil
        else { return nil }
        self.scheme = scheme
        self.host = host
        self.port = components.port ?? (scheme == "https" ? 443 : 80)
    }

    var description: String { "\(scheme)://\(host):\(port)" }
}
