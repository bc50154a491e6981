/// Finds the `http(s)://` links in a status the way Mastodon does before counting its length:
/// `StatusLengthValidator` extracts URLs *with* a scheme only (`extract_url_without_protocol:
/// false`) and counts each as 23 characters, so a bare `example.com` counts at its own length.
///
/// A simplification of twitter-text's extractor: a link starts with `http://` or `https://`
/// (any case) not preceded by a letter or digit, runs to the next space, and loses trailing
/// punctuation (`.,;:!?'"` and an unbalanced `)`); its host must contain a dot or be `localhost`.
enum MastodonLinks {
    /// A piece of text: plain characters or one link.
    enum Piece: Equatable {
        case text(String)
        case link(String)
    }

    /// `text` cut into plain pieces and links, in order.
    static func pieces(of text: String) -> [Piece] {
        let characters = Array(text)
        var pieces: [Piece] = []
        var plain = ""
        var index = 0
        while index < characters.count {
            if let end = linkEnd(in: characters, from: index) {
                if !plain.isEmpty { pieces.append(.text(plain)) }
                plain = ""
                pieces.append(.link(String(characters[index..<end])))
                index = end
            } else {
                plain.append(characters[index])
                index += 1
            }
        }
        if !plain.isEmpty { pieces.append(.text(plain)) }
        return pieces
    }

    /// Where the link starting at `start` ends (exclusive), or `nil` when none starts there.
    private static func linkEnd(in characters: [Character], from start: Int) -> Int? {
        if start > 0, characters[start - 1].isLetter || characters[start - 1].isNumber { return nil }
        let schemes = ["https://", "http://"]
        guard
            let scheme = schemes.first(where: { scheme in
                start + scheme.count <= characters.count
                    && String(characters[start..<(start + scheme.count)]).lowercased() == scheme
            })
        else { return nil }
        var end = start + scheme.count
        while end < characters.count, !characters[end].isWhitespace, characters[end] != "<", characters[end] != ">" { end += 1 }
        while end > start + scheme.count {
            let last = characters[end - 1]
            let opens = characters[start..<end].filter { $0 == "(" }.count
            let closes = characters[start..<end].filter { $0 == ")" }.count
            if ".,;:!?'\"".contains(last) || (last == ")" && closes > opens) { end -= 1 } else { break }
        }
        let rest = String(characters[(start + scheme.count)..<end])
        let hostEnd = rest.firstIndex(where: { "/?#".contains($0) }) ?? rest.endIndex
        let host = rest[..<hostEnd]
        guard !host.isEmpty, host.contains(".") || host.lowercased().hasPrefix("localhost") else { return nil }
        return end
    }
}
