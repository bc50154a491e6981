import Foundation
import LeopostPluginKit

/// The Graph API as one call sees it: `{base_url}/{version}/…`, the account's token as
/// `Authorization: Bearer`, parameters form-encoded (the encoding Meta's own examples use).
///
/// The version is the account's `graph_version` setting when present, else
/// ``MetaPlatform/defaultGraphVersion``: Meta retires a Graph version about two years after its
/// release and then answers as the oldest version still served, so an operator can move ahead
/// of a change without a new plugin.
struct MetaGraph {
    private let host: PluginHost
    private let root: String
    private let token: String

    /// A client for one call, on `account`'s token and version.
    init(host: PluginHost, baseURL: String, account: PluginAccount) {
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.host = host
        self.root = "\(base)/\(Self.version(of: account))"
        self.token = account.accessToken
    }

    /// The Graph version the account names, "v" added when left out ("21.0" → "v21.0").
    static func version(of account: PluginAccount) -> String {
        let configured = account.settings["graph_version"]?.trimmingCharacters(in: .whitespaces) ?? ""
        if configured.isEmpty { return MetaPlatform.defaultGraphVersion }
        return configured.hasPrefix("v") ? configured : "v" + configured
    }

    /// `GET /{version}/{path}?{query}`.
    func get(_ path: String, query: [(String, String)]) -> PluginHost.Response {
        let suffix = query.isEmpty ? "" : "?" + Self.formEncoded(query)
        return host.http("GET", "\(root)/\(path)\(suffix)", headers: [authorization])
    }

    /// `POST /{version}/{path}` with `form` as `application/x-www-form-urlencoded`.
    func post(_ path: String, form: [(String, String)]) -> PluginHost.Response {
        host.http(
            "POST", "\(root)/\(path)", headers: [authorization, ("Content-Type", "application/x-www-form-urlencoded")],
            body: Data(Self.formEncoded(form).utf8))
    }

    private var authorization: (String, String) { ("Authorization", "Bearer \(token)") }

    /// `name=value&…`, everything but RFC 3986's unreserved characters percent-encoded (a space
    /// as `%20`, which every form decoder reads), so a caption's `#`, `&` or `+` arrive intact.
    static func formEncoded(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(encoded($0.0))=\(encoded($0.1))" }.joined(separator: "&")
    }

    private static func encoded(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
