import Foundation
import LeopostPluginKit

/// The length X counts for a post, by twitter-text's configuration v3 (`config/v3.json`):
/// `maxWeightedTweetLength` 280, `scale` 100, `defaultWeight` 200, `transformedURLLength` 23,
/// weight 100 for the code points 0–4351, 8192–8205, 8208–8223 and 8242–8247, and
/// `emojiParsingEnabled`: a whole emoji (with its modifiers, joiners and selectors) weighs 200.
///
/// So Latin, Greek, Cyrillic, Hebrew, Arabic and common punctuation count 1, CJK and most other
/// scripts 2, an emoji 2, a link 23. twitter-text normalizes the text to NFC first, and so does
/// this. X's character count is why `String.count` is wrong here in both directions.
enum XWeightedLength {
    /// The most a post may weigh.
    static let limit = 280

    /// The weighted length of `text`, as twitter-text's `parseTweet` reports `weightedLength`.
    static func of(_ text: String) -> Int {
        var weight = 0
        for piece in XLinks.pieces(of: text.precomposedStringWithCanonicalMapping) {
            switch piece {
            case .link:
                weight += 23 * 100
            case .text(let plain):
                for character in plain {
                    if isEmoji(character) {
                        weight += 200
                    } else {
                        weight += character.unicodeScalars.reduce(0) { $0 + scalarWeight($1) }
                    }
                }
            }
        }
        return weight / 100
    }

    /// The weight of one code point outside an emoji: 100 in the configured ranges, else 200.
    private static func scalarWeight(_ scalar: Unicode.Scalar) -> Int {
        switch scalar.value {
        case 0...4351, 8192...8205, 8208...8223, 8242...8247: 100
        default: 200
        }
    }

    /// Whether a grapheme cluster is an emoji as twemoji-parser finds them: one with a code point
    /// of emoji presentation (😀, a skin tone, a flag's regional indicators), or a text-style
    /// emoji made an emoji by U+FE0F or a keycap U+20E3 (`❤️`, `1️⃣`). A bare `©` or `1` is text.
    private static func isEmoji(_ character: Character) -> Bool {
        let scalars = character.unicodeScalars
        if scalars.contains(where: { $0.properties.isEmojiPresentation }) { return true }
        guard let first = scalars.first, first.properties.isEmoji else { return false }
        return scalars.contains("\u{FE0F}") || scalars.contains("\u{20E3}")
    }
}
