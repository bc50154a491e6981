/// Renders a slice of styled text as self-contained Telegram HTML.
///
/// Tags are derived from the styles of the slice alone, so a span cut by the splitter is
/// closed at the end of one piece and reopened at the start of the next.
enum HTMLRenderer {
    static func render(_ text: StyledText, range: Range<Int>) -> String {
        var html = ""
        var open: [HTMLTag] = []
        var runStart = range.lowerBound
        while runStart < range.upperBound {
            let style = text.styles[runStart]
            var runEnd = runStart + 1
            while runEnd < range.upperBound, text.styles[runEnd] == style { runEnd += 1 }
            let wanted = style.tags
            let shared = zip(open, wanted).prefix(while: { $0 == $1 }).count
            for tag in open[shared...].reversed() { html += tag.closing }
            for tag in wanted[shared...] { html += tag.opening }
            open = wanted
            html += TelegramFormatter.escape(String(text.characters[runStart..<runEnd]))
            runStart = runEnd
        }
        for tag in open.reversed() { html += tag.closing }
        return html
    }
}
