import Foundation

/// A post's length as a platform counts it (the manifest's `text.counting`), so a preview can
/// say "291 of 280" before anything is sent, instead of the platform refusing it later.
enum PostLength {
    /// The length of `text` under `rules`.
    static func measure(_ text: String, rules: PluginManifest.Text) -> Int {
        let (rest, urls) = extractingURLs(text, when: rules.urlLength != nil)
        let urlCost = urls * (rules.urlLength ?? 0)
        switch rules.counting {
        case .characters: return rest.count + urlCost
        case .utf16: return rest.utf16.count + urlCost
        case .weighted: return weighted(rest) + urlCost
        }
    }

    /// X's weighted count (twitter-text configuration v3): code points in the Latin and general
    /// punctuation ranges weigh 1, every other code point 2, and an emoji sequence 2 in all.
    static func weighted(_ text: String) -> Int {
        var total = 0
        for character in text {
            if character.unicodeScalars.contains(where: { $0.properties.isEmojiPresentation || $0.value == 0xFE0F }) {
                total += 2
                continue
            }
            for scalar in character.unicodeScalars { total += isLight(scalar.value) ? 1 : 2 }
        }
        return total
    }

    private static func isLight(_ value: UInt32) -> Bool {
        (0...4351).contains(value) || (8192...8205).contains(value) || (8208...8223).contains(value) || (8242...8247).contains(value)
    }

    /// The text without its http(s) URLs, and how many there were; unchanged when URLs count as written.
    private static func extractingURLs(_ text: String, when enabled: Bool) -> (String, Int) {
        guard enabled, text.contains("http") else { return (text, 0) }
        var count = 0
        let words = text.split(separator: " ", omittingEmptySubsequences: false).map { word -> Substring in
            let lower = word.lowercased()
            guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), word.count > 8 else { return word }
            count += 1
            return ""
        }
        return (words.joined(separator: " "), count)
    }
}
