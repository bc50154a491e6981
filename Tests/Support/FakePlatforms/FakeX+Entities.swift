import Foundation

/// The Tweet object ``FakeX`` answers with, and X's text rules behind it: the weighted length of
/// twitter-text v3 and the `text` X gives back (links wrapped in t.co, `&<>` HTML-escaped).
extension FakeX {
    /// A Tweet object; `created_at` (whole seconds, as X writes it) when `tweet.fields` asks for it.
    func tweetJSON(_ post: FakePlatformPost, fields: Set<String>) -> [String: Any] {
        var tweet: [String: Any] = ["id": post.id, "text": Self.shownText(post.text, id: post.id), "edit_history_tweet_ids": [post.id]]
        if fields.contains("created_at") {
            let seconds = Date(timeIntervalSince1970: post.createdAt.timeIntervalSince1970.rounded(.down))
            tweet["created_at"] = String(ISO8601DateFormatter().string(from: seconds).dropLast()) + ".000Z"
        }
        if fields.contains("author_id") { tweet["author_id"] = post.author }
        return tweet
    }

    /// twitter-text v3's weighted length: each `http(s)://` link 23; an emoji 2; a code point 1 in
    /// 0–4351, 8192–8205, 8208–8223, 8242–8247 and 2 elsewhere; after NFC.
    static func weightedLength(_ text: String) -> Int {
        var weight = 0
        for (piece, isLink) in pieces(of: text.precomposedStringWithCanonicalMapping) {
            guard !isLink else {
                weight += 23
                continue
            }
            for character in piece {
                let scalars = character.unicodeScalars
                let emoji =
                    scalars.contains { $0.properties.isEmojiPresentation }
                    || (scalars.first?.properties.isEmoji == true && (scalars.contains("\u{FE0F}") || scalars.contains("\u{20E3}")))
                weight +=
                    emoji
                    ? 2
                    : scalars.reduce(0) { total, scalar in
                        switch scalar.value {
                        case 0...4351, 8192...8205, 8208...8223, 8242...8247: total + 1
                        default: total + 2
                        }
                    }
            }
        }
        return weight
    }

    /// The text X shows for a tweet: `&`, `<`, `>` escaped, each link a 23-character t.co link.
    static func shownText(_ text: String, id: String) -> String {
        var linkNumber = 0
        return pieces(of: text).map { piece, isLink in
            guard isLink else {
                return piece.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                    .replacingOccurrences(of: ">", with: "&gt;")
            }
            linkNumber += 1
            return "https://t.co/" + slug("\(id)-\(linkNumber)")
        }.joined()
    }

    /// Ten letters and digits derived from `seed` (FNV-1a), like a t.co path.
    private static func slug(_ seed: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in seed.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        var slug = ""
        for _ in 0..<10 {
            slug.append(alphabet[Int(hash % UInt64(alphabet.count))])
            hash /= UInt64(alphabet.count)
        }
        return slug
    }

    /// Text cut into plain runs and `http(s)://` links (to the next space, less trailing `.,;:!?`).
    private static func pieces(of text: String) -> [(String, Bool)] {
        let characters = Array(text)
        var pieces: [(String, Bool)] = []
        var plain = ""
        var index = 0
        while index < characters.count {
            let atWordStart = index == 0 || characters[index - 1].isWhitespace
            let head = String(characters[index..<min(index + 8, characters.count)]).lowercased()
            guard atWordStart, head.hasPrefix("https://") || head.hasPrefix("http://") else {
                plain.append(characters[index])
                index += 1
                continue
            }
            var end = index
            while end < characters.count, !characters[end].isWhitespace { end += 1 }
            while end > index, ".,;:!?".contains(characters[end - 1]) { end -= 1 }
            pieces.append((plain, false))
            pieces.append((String(characters[index..<end]), true))
            plain = ""
            index = end
        }
        pieces.append((plain, false))
        return pieces.filter { !$0.0.isEmpty }
    }
}
