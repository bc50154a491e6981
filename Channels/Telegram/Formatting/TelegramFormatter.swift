/// Turns a model's light-Markdown answer into Telegram `parse_mode=HTML` messages.
///
/// Model output is untrusted, so all of its text is escaped and the only tags that
/// reach Telegram are the ones this type emits itself. Long answers are cut into
/// pieces that Telegram accepts one by one, at the most natural boundary available.
public struct TelegramFormatter: Sendable {
    /// What one `sendMessage` may hold, counted as Telegram does: visible text in UTF-16 code units.
    public static let messageLimit = 4096

    /// The visible-length budget of each piece; clamped to at least 2 so any Unicode scalar fits.
    public let limit: Int

    /// Creates a formatter; a smaller `limit` leaves room for text the caller adds around a piece.
    public init(limit: Int = TelegramFormatter.messageLimit) {
        self.limit = max(limit, 2)
    }

    /// HTML pieces, in order, each valid on its own (every tag opened in a piece is closed in it)
    /// and each within `limit` visible characters, so each can be sent as a separate message.
    /// Whitespace at the cuts is dropped; an empty or blank text gives no pieces.
    public func pieces(_ text: String) -> [String] {
        let styled = MarkdownParser.parse(text).splittingOversizedCharacters(limit: limit)
        return Segmenter(text: styled, limit: limit).ranges().map {
            HTMLRenderer.render(styled, range: $0)
        }
    }

    /// Escapes text for Telegram HTML so untrusted text can never open a tag or an entity.
    /// Escapes `&`, `<`, `>` and `"`; the quote matters only inside attribute values but is
    /// harmless in text, which lets one function serve both places.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
