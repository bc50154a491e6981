/// The parts every platform's link finder shares: a text cut into plain pieces and links (each
/// platform counts a link at its own fixed length), the `http(s)://` scheme at a position, the run
/// of a link to the next space, and the trailing punctuation that ends a sentence rather than a
/// link. What counts as a link is each platform's rule, passed in.
public enum PluginLinks {
    /// A piece of text: plain characters or one link.
    public enum Piece: Equatable, Sendable {
        /// Characters that are not a link.
        case text(String)
        /// One link, as written.
        case link(String)
    }

    /// `text` cut into plain pieces and links, in order. `linkEnd` says where a link starting at
    /// an index ends (exclusive), or `nil` when none starts there.
    public static func pieces(of text: String, linkEnd: ([Character], Int) -> Int?) -> [Piece] {
        let characters = Array(text)
        var pieces: [Piece] = []
        var plain = ""
        var index = 0
        while index < characters.count {
            if let end = linkEnd(characters, index) {
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

    /// `https://` or `http://` (any case) at `start`, or `nil`.
    public static func scheme(in characters: [Character], at start: Int) -> String? {
        ["https://", "http://"].first { scheme in
            start + scheme.count <= characters.count && String(characters[start..<(start + scheme.count)]).lowercased() == scheme
        }
    }

    /// The end of the run of characters from `start` up to a space, `<` or `>`.
    public static func runEnd(_ characters: [Character], from start: Int) -> Int {
        var end = start
        while end < characters.count, !characters[end].isWhitespace, characters[end] != "<", characters[end] != ">" { end += 1 }
        return end
    }

    /// `end` moved back over trailing punctuation (`.,;:!?'"` and an unbalanced `)`), not below `start`.
    public static func trimmedEnd(_ characters: [Character], from start: Int, to end: Int) -> Int {
        var end = end
        while end > start {
            let last = characters[end - 1]
            let opens = characters[start..<end].filter { $0 == "(" }.count
            let closes = characters[start..<end].filter { $0 == ")" }.count
            guard ".,;:!?'\"".contains(last) || (last == ")" && closes > opens) else { break }
            end -= 1
        }
        return end
    }
}
