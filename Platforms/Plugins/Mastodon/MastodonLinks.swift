import LeopostPluginKit

/// Finds the `http(s)://` links in a status the way Mastodon does before counting its length:
/// `StatusLengthValidator` extracts URLs *with* a scheme only (`extract_url_without_protocol:
/// false`) and counts each as 23 characters, so a bare `example.com` counts at its own length.
///
/// A simplification of twitter-text's extractor: a link starts with `http://` or `https://`
/// (any case) not preceded by a letter or digit, runs to the next space, and loses trailing
/// punctuation (`.,;:!?'"` and an unbalanced `)`); its host must contain a dot or be `localhost`.
enum MastodonLinks {
    /// `text` cut into plain pieces and links, in order.
    static func pieces(of text: String) -> [PluginLinks.Piece] {
        PluginLinks.pieces(of: text, linkEnd: linkEnd)
    }

    /// Where the link starting at `start` ends (exclusive), or `nil` when none starts there.
    private static func linkEnd(in characters: [Character], from start: Int) -> Int? {
        if start > 0, characters[start - 1].isLetter || characters[start - 1].isNumber { return nil }
        guard let scheme = PluginLinks.scheme(in: characters, at: start) else { return nil }
        let afterScheme = start + scheme.count
        let end = PluginLinks.trimmedEnd(characters, from: afterScheme, to: PluginLinks.runEnd(characters, from: afterScheme))
        let rest = String(characters[afterScheme..<end])
        let hostEnd = rest.firstIndex(where: { "/?#".contains($0) }) ?? rest.endIndex
        let host = rest[..<hostEnd]
        guard !host.isEmpty, host.contains(".") || host.lowercased().hasPrefix("localhost") else { return nil }
        return end
    }
}
