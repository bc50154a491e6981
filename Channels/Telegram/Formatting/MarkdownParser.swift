import Foundation

/// Block-level pass over a model's answer: fenced code blocks, headings, bullets.
/// Everything inside a line is left to `InlineParser`; markers never span lines,
/// which keeps a stray `*` from swallowing the rest of a long answer.
enum MarkdownParser {
    static func parse(_ text: String) -> StyledText {
        let normalized =
            text
            .replacingOccurrences(of: "\r\n", with: "\n")
            .replacingOccurrences(of: "\r", with: "\n")
        let lines = normalized.split(separator: "\n", omittingEmptySubsequences: false)
        var out = StyledText()
        var index = 0
        while index < lines.count {
            if index > 0 { out.append("\n", style: TextStyle()) }
            if let fence = CodeFence(opening: lines[index]),
                let closing = fence.closingLine(in: lines, after: index)
            {
                let body = lines[(index + 1)..<closing].joined(separator: "\n")
                out.append(contentsOf: body, style: .pre(language: fence.language))
                index = closing + 1
            } else {
                appendLine(lines[index], to: &out)
                index += 1
            }
        }
        return out
    }

    private static func appendLine(_ line: Substring, to out: inout StyledText) {
        let indent = line.prefix(while: { $0 == " " || $0 == "\t" })
        let rest = line.dropFirst(indent.count)
        var bold = TextStyle()
        bold.bold = true
        if let heading = headingText(rest) {
            InlineParser.parse(heading, style: bold, into: &out)
        } else if rest.hasPrefix("- ") || rest.hasPrefix("* ") {
            out.append(contentsOf: indent + "• ", style: TextStyle())
            InlineParser.parse(rest.dropFirst(2), style: TextStyle(), into: &out)
        } else {
            InlineParser.parse(line, style: TextStyle(), into: &out)
        }
    }

    /// The text of a `#` … `######` heading line, or nil when the line is not one.
    private static func headingText(_ line: Substring) -> Substring? {
        let hashes = line.prefix(while: { $0 == "#" }).count
        guard (1...6).contains(hashes) else { return nil }
        let rest = line.dropFirst(hashes)
        guard rest.first == " " else { return nil }
        let text = rest.drop(while: { $0 == " " })
        return text.isEmpty ? nil : text
    }
}
