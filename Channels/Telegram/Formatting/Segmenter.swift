/// Cuts styled text into ranges that each fit the limit, trimming whitespace at the cuts.
///
/// Inside a code block only line breaks are skipped at the start of a piece, so the
/// indentation of the first code line in a continuation piece survives.
struct Segmenter {
    let text: StyledText
    let limit: Int

    func ranges() -> [Range<Int>] {
        let characters = text.characters
        let finder = BreakFinder(characters: characters, limit: limit)
        var ranges: [Range<Int>] = []
        var start = skipLeadingWhitespace(from: 0)
        while start < characters.count {
            let cut = finder.cut(from: start)
            var end = cut
            while end > start, characters[end - 1].isWhitespace { end -= 1 }
            if end > start { ranges.append(start..<end) }
            start = skipLeadingWhitespace(from: cut)
        }
        return ranges
    }

    private func skipLeadingWhitespace(from index: Int) -> Int {
        var index = index
        while index < text.characters.count {
            let character = text.characters[index]
            let skippable = character.isNewline || (character.isWhitespace && !text.styles[index].isPre)
            guard skippable else { break }
            index += 1
        }
        return index
    }
}
