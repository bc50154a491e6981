import Foundation

/// Decides which link targets may become `<a href>`: only absolute http(s) URLs with a host.
/// Anything else (`javascript:`, `tg:`, relative paths) stays literal text.
enum LinkPolicy {
    static func href(_ raw: String) -> String? {
        let lowered = raw.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else { return nil }
        guard !raw.contains(where: { $0.isWhitespace || "<>\"".contains($0) }) else { return nil }
        guard let url = URL(string: raw),
            let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else { return nil }
        return raw
    }
}
