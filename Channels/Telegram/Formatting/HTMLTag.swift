/// The Telegram HTML tags this package emits; nothing else ever reaches the output.
enum HTMLTag: Equatable, Sendable {
    case bold
    case italic
    case code
    case link(href: String)
    case pre(language: String?)

    var opening: String {
        switch self {
        case .bold: "<b>"
        case .italic: "<i>"
        case .code: "<code>"
        case .link(let href): "<a href=\"\(TelegramFormatter.escape(href))\">"
        case .pre(nil): "<pre>"
        case .pre(let language?): "<pre><code class=\"language-\(TelegramFormatter.escape(language))\">"
        }
    }

    var closing: String {
        switch self {
        case .bold: "</b>"
        case .italic: "</i>"
        case .code: "</code>"
        case .link: "</a>"
        case .pre(nil): "</pre>"
        case .pre: "</code></pre>"
        }
    }
}
