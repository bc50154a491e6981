/// Converts the inline markers of one line into styled characters:
/// `**bold**`, `*italic*` / `_italic_`, `` `code` `` and `[text](https://url)`.
/// A marker without a valid partner is kept as literal text.
///
/// The last search for each closing marker is remembered per (marker, range end): a later
/// search from a position it already covered has the same answer. This keeps hostile input
/// such as thousands of unmatched `*a` or `[[[` linear instead of quadratic.
struct InlineParser {
    private struct SearchKey: Hashable {
        let marker: Character
        let width: Int
        let end: Int
    }

    private let chars: [Character]
    private var lastSearch: [SearchKey: (from: Int, found: Int?)] = [:]
    private var failedURLScan: Range<Int>?

    private init(_ line: Substring) {
        chars = Array(line)
    }

    static func parse(_ line: Substring, style: TextStyle, into out: inout StyledText) {
        var parser = InlineParser(line)
        parser.parse(parser.chars.indices, style: style, into: &out)
    }

    /// Where the closing marker for `key` is, searching from `start`. The last search per key
    /// is reused when it started earlier and found nothing or a closer at or after `start`.
    private mutating func closingMarker(_ key: SearchKey, from start: Int) -> Int? {
        if let last = lastSearch[key], last.from <= start, last.found.map({ start <= $0 }) ?? true {
            return last.found
        }
        let found =
            switch key.marker {
            case "`": closingRun(width: key.width, from: start, end: key.end)
            case "]": (start..<key.end).first { chars[$0] == "]" }
            default: closer(of: key.marker, width: key.width, from: start, end: key.end)
            }
        lastSearch[key] = (start, found)
        return found
    }

    private mutating func parse(_ range: Range<Int>, style: TextStyle, into out: inout StyledText) {
        var index = range.lowerBound
        while index < range.upperBound {
            let char = chars[index]
            if char == "`" {
                index = codeSpan(at: index, end: range.upperBound, style: style, into: &out)
            } else if char == "*" || char == "_",
                let next = emphasis(at: index, end: range.upperBound, style: style, into: &out)
            {
                index = next
            } else if char == "[", let next = link(at: index, end: range.upperBound, style: style, into: &out) {
                index = next
            } else {
                out.append(char, style: style)
                index += 1
            }
        }
    }

    /// Length of the run of `marker` starting at `index`.
    private func run(of marker: Character, at index: Int, end: Int) -> Int {
        var length = 0
        while index + length < end, chars[index + length] == marker { length += 1 }
        return length
    }

    /// A backtick run closes only with a run of the same length; an unmatched run stays literal.
    private mutating func codeSpan(at start: Int, end: Int, style: TextStyle, into out: inout StyledText) -> Int {
        let width = run(of: "`", at: start, end: end)
        let key = SearchKey(marker: "`", width: width, end: end)
        if let close = closingMarker(key, from: start + width) {
            var content = chars[(start + width)..<close]
            if content.count > 2, content.first == " ", content.last == " " {
                content = content.dropFirst().dropLast()
            }
            var code = style
            code.code = true
            out.append(contentsOf: content, style: code)
            return close + width
        }
        out.append(contentsOf: chars[start..<(start + width)], style: style)
        return start + width
    }

    /// Start of the next backtick run of exactly `width`.
    private func closingRun(width: Int, from start: Int, end: Int) -> Int? {
        var index = start
        while index < end {
            guard chars[index] == "`" else { index += 1; continue }
            let length = run(of: "`", at: index, end: end)
            if length == width { return index }
            index += length
        }
        return nil
    }

    /// Double markers make bold, single ones italic. Openers must touch the text that follows,
    /// closers the text before; `_` must not sit inside a word, so snake_case stays intact.
    private mutating func emphasis(at start: Int, end: Int, style: TextStyle, into out: inout StyledText) -> Int? {
        let marker = chars[start]
        let width = start + 1 < end && chars[start + 1] == marker ? 2 : 1
        let contentStart = start + width
        guard contentStart < end, !chars[contentStart].isWhitespace else { return nil }
        if marker == "_", start > 0, chars[start - 1].isLetter || chars[start - 1].isNumber { return nil }
        let key = SearchKey(marker: marker, width: width, end: end)
        guard let close = closingMarker(key, from: contentStart + 1) else { return nil }
        var inner = style
        if width == 2 { inner.bold = true } else { inner.italic = true }
        parse(contentStart..<close, style: inner, into: &out)
        return close + width
    }

    /// Finds the closing marker; runs of other widths belong to nested emphasis and are skipped,
    /// except that a longer run (`***`) may close this one with its last markers.
    private func closer(of marker: Character, width: Int, from start: Int, end: Int) -> Int? {
        var index = start
        while index < end {
            guard chars[index] == marker else { index += 1; continue }
            let length = run(of: marker, at: index, end: end)
            let candidate = index + length - width
            let touchesText = !chars[index - 1].isWhitespace
            let afterRun = index + length
            let wordContinues =
                marker == "_" && afterRun < end
                && (chars[afterRun].isLetter || chars[afterRun].isNumber)
            if length == width || length >= 3, touchesText, !wordContinues {
                return candidate
            }
            index += length
        }
        return nil
    }

    /// `[text](url)` becomes a link only for a non-empty text and an allowed http(s) URL.
    private mutating func link(at start: Int, end: Int, style: TextStyle, into out: inout StyledText) -> Int? {
        let key = SearchKey(marker: "]", width: 1, end: end)
        guard let textEnd = closingMarker(key, from: start + 1),
            textEnd > start + 1, textEnd + 1 < end, chars[textEnd + 1] == "(",
            let urlEnd = urlEnd(from: textEnd + 2, end: end),
            let href = LinkPolicy.href(String(chars[(textEnd + 2)..<urlEnd]))
        else { return nil }
        var inner = style
        inner.link = href
        parse((start + 1)..<textEnd, style: inner, into: &out)
        return urlEnd + 1
    }

    /// The `)` that ends a URL, allowing balanced parentheses inside. The scan stops early at
    /// characters `LinkPolicy` rejects anyway and after `maxURLLength`; a failed scan is
    /// remembered so a target starting inside it is not rescanned (such a target stays text).
    private mutating func urlEnd(from start: Int, end: Int) -> Int? {
        if let failed = failedURLScan, failed.contains(start) { return nil }
        var depth = 0
        var index = start
        while index < min(end, start + Self.maxURLLength) {
            switch chars[index] {
            case "(": depth += 1
            case ")" where depth == 0: return index
            case ")": depth -= 1
            case let char where char.isWhitespace || "<>\"".contains(char): failedURLScan = start..<index; return nil
            default: break
            }
            index += 1
        }
        failedURLScan = start..<index
        return nil
    }

    /// Longer link targets are left as text; real answers never need more.
    static let maxURLLength = 2048
}
