import Foundation

/// Splits a long answer into pieces that each fit a channel's limit, preferring to cut between
/// paragraphs, then lines, then sentences, then words, and never inside a character (a surrogate
/// pair or an emoji with modifiers stays whole).
///
/// Length is counted in UTF-16 code units, which is what Telegram and WhatsApp count.
public struct TextSplitter: Sendable {
    /// The most a piece may hold, in UTF-16 code units.
    public let limit: Int

    /// Creates a splitter.
    public init(limit: Int) {
        precondition(limit > 0, "a message limit is positive")
        self.limit = limit
    }

    /// The pieces of `text`, in order; an empty text gives no pieces.
    public func split(_ text: String) -> [String] {
        var pieces: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            if rest.utf16.count <= limit {
                pieces.append(String(rest))
                break
            }
            let cut = cutPoint(in: rest)
            let piece = rest[..<cut].trimmingTrailingWhitespace()
            if !piece.isEmpty { pieces.append(String(piece)) }
            rest = rest[cut...].drop { $0.isWhitespace }
        }
        return pieces
    }

    /// Where to end the next piece: the last good boundary within the limit.
    private func cutPoint(in text: Substring) -> Substring.Index {
        // The furthest whole character that fits.
        var end = text.startIndex
        var used = 0
        for index in text.indices {
            let size = text[index].utf16.count
            if used + size > limit { break }
            used += size
            end = text.index(after: index)
        }
        if end == text.startIndex { return text.index(after: text.startIndex) }  // one character longer than the limit
        let window = text[..<end]
        // Prefer the latest boundary in the second half of the window, so pieces are not tiny.
        let floor = window.index(window.startIndex, offsetBy: window.count / 2)
        for separator in ["\n\n", "\n", ". ", "! ", "? ", " "] {
            if let range = window.range(of: separator, options: .backwards), range.lowerBound >= floor {
                return range.upperBound
            }
        }
        return end
    }
}

extension Substring {
    fileprivate func trimmingTrailingWhitespace() -> Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)].isWhitespace { end = index(before: end) }
        return self[..<end]
    }
}
