/// The formatting that applies to one visible character.
///
/// Keeping formatting per character (instead of as HTML) lets the splitter cut anywhere
/// in the visible text and the renderer close and reopen tags around each cut.
struct TextStyle: Hashable, Sendable {
    var bold = false
    var italic = false
    var code = false
    /// Set for fenced code blocks, which exclude every other style.
    var isPre = false
    /// Language of a fenced code block, already reduced to safe characters.
    var language: String?
    /// Validated http(s) target of a link, unescaped.
    var link: String?

    /// A fenced code block style.
    static func pre(language: String?) -> TextStyle {
        TextStyle(isPre: true, language: language)
    }

    /// The tags to open for this style, outermost first; a fixed order keeps output well nested.
    var tags: [HTMLTag] {
        if isPre { return [.pre(language: language)] }
        var tags: [HTMLTag] = []
        if let link { tags.append(.link(href: link)) }
        if bold { tags.append(.bold) }
        if italic { tags.append(.italic) }
        if code { tags.append(.code) }
        return tags
    }
}
