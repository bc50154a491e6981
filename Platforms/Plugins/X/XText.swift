import Foundation
import LeopostPluginKit

/// Compares a post's text with what X shows of it, to find a post whose answer was lost.
///
/// X does not give the text back as it was sent: every link becomes a `https://t.co/...` link,
/// `&`, `<` and `>` come back as `&amp;`, `&lt;` and `&gt;`, and surrounding space is trimmed.
/// Both sides are brought to one form where those differences vanish.
enum XText {
    /// The comparable form of a text as it was sent.
    static func comparable(sent text: String) -> String {
        comparable(text)
    }

    /// The comparable form of a tweet's `text` field, which X HTML-escapes.
    static func comparable(shown text: String) -> String {
        let unescaped = text.replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
        return comparable(unescaped)
    }

    /// NFC, each link as one placeholder, white space runs as one space, no space at the ends.
    private static func comparable(_ text: String) -> String {
        XLinks.pieces(of: text.precomposedStringWithCanonicalMapping)
            .map { piece in
                switch piece {
                case .link: "\u{FFFC}"
                case .text(let plain): plain
                }
            }
            .joined()
            .split(whereSeparator: { $0.isWhitespace })
            .joined(separator: " ")
    }
}
