import Testing

@testable import LeopostChannels

/// Checks the contract of a split: every piece parses as balanced Telegram HTML, fits the
/// limit in visible UTF-16 units, and the pieces in order rebuild the unsplit visible text
/// up to the whitespace dropped at the cuts. Returns the visible text of each piece.
@discardableResult
func checkSplit(_ text: String, limit: Int) throws -> [String] {
    let whole = try TelegramHTML(TelegramFormatter(limit: Int.max).pieces(text).joined()).visible
    let visibles = try TelegramFormatter(limit: limit).pieces(text).map { try TelegramHTML($0).visible }
    for visible in visibles {
        #expect(visible.utf16.count <= limit)
        #expect(!visible.isEmpty)
    }
    // Compare scalar by scalar: a grapheme longer than the limit is legitimately split at scalars.
    let wholeScalars = Array(whole.unicodeScalars)
    var position = 0
    for visible in visibles {
        while position < wholeScalars.count, wholeScalars[position].properties.isWhitespace { position += 1 }
        let piece = Array(visible.unicodeScalars.drop(while: { $0.properties.isWhitespace }))
        let end = min(position + piece.count, wholeScalars.count)
        #expect(Array(wholeScalars[position..<end]) == piece, "piece out of order or altered: \(visible)")
        position = end
    }
    #expect(wholeScalars[position...].allSatisfy { $0.properties.isWhitespace }, "text lost after the last piece")
    return visibles
}

@Test func tenThousandCharacterAnswerSplitsWithinLimit() throws {
    let text = SampleText.make(length: 10_000)
    #expect(text.count >= 10_000)
    let visibles = try checkSplit(text, limit: TelegramFormatter.messageLimit)
    #expect(visibles.count >= 3)
}

@Test(arguments: [7, 20, 64, 300, 1000])
func mixedTextSplitsAtSmallLimits(limit: Int) throws {
    try checkSplit(SampleText.make(length: 3_000), limit: limit)
}

@Test func longCodeBlockKeepsPreInEveryPiece() throws {
    let body = (1...120).map { "    let value\($0) = compute(\($0)) && check(<\($0)>)" }.joined(separator: "\n")
    let pieces = TelegramFormatter(limit: 1000).pieces("```swift\n\(body)\n```")
    #expect(pieces.count >= 4)
    for piece in pieces {
        #expect(piece.hasPrefix("<pre><code class=\"language-swift\">"))
        #expect(piece.hasSuffix("</code></pre>"))
        #expect(try TelegramHTML(piece).visible.utf16.count <= 1000)
    }
    // Cuts fall on line breaks and keep the indentation of the next line.
    #expect(try pieces.dropFirst().allSatisfy { try TelegramHTML($0).visible.hasPrefix("    let value") })
}

@Test func splitBoldSpanIsClosedAndReopened() throws {
    let pieces = TelegramFormatter(limit: 30).pieces("**" + String(repeating: "bold words ", count: 8) + "end**")
    #expect(pieces.count >= 3)
    for piece in pieces {
        #expect(piece.hasPrefix("<b>") && piece.hasSuffix("</b>"))
        _ = try TelegramHTML(piece)
    }
}

@Test func emojiFlagsAndSurrogatePairsAreNeverCut() throws {
    let text = "👍🏽👍🏽👍🏽 🇩🇪🇫🇷🇯🇵 é̂x 𝄞𝄞𝄞𝄞 **👋🏿👋🏿** a&b🙂"
    let original = try TelegramHTML(TelegramFormatter(limit: Int.max).pieces(text)[0]).visible
    let allowed = Set(original)
    let visibles = try checkSplit(text, limit: 7)
    for visible in visibles {
        #expect(visible.utf16.count <= 7)
        #expect(visible.allSatisfy { allowed.contains($0) }, "grapheme torn apart in \(visible)")
        #expect(visible.unicodeScalars.allSatisfy { $0 != "\u{FFFD}" })
    }
    #expect(visibles.joined().filter { !$0.isWhitespace } == original.filter { !$0.isWhitespace })
}

@Test func entitiesAreNeverCut() throws {
    let pieces = TelegramFormatter(limit: 3).pieces("&&&<<<>>>&&")
    #expect(pieces == ["&amp;&amp;&amp;", "&lt;&lt;&lt;", "&gt;&gt;&gt;", "&amp;&amp;"])
}

@Test func graphemeLongerThanLimitIsSplitOnlyAtScalars() throws {
    let family = "👨‍👩‍👧‍👦"
    let visibles = try checkSplit(family, limit: 4)
    #expect(visibles.count > 1)
    #expect(visibles.joined() == family)
}

@Test func prefersParagraphThenLineThenSentenceThenSpace() {
    let formatter = TelegramFormatter(limit: 40)
    #expect(
        formatter.pieces("First para is here.\n\nSecond para here and more text")
            == ["First para is here.", "Second para here and more text"])
    #expect(
        formatter.pieces("Line one is here. ok\nLine two is long enough to overflow")
            == ["Line one is here. ok", "Line two is long enough to overflow"])
    #expect(
        formatter.pieces("One sentence ends here. Next sentence goes on and on")
            == ["One sentence ends here.", "Next sentence goes on and on"])
    #expect(
        formatter.pieces("words without any sentence end keep going on here")
            == ["words without any sentence end keep", "going on here"])
    #expect(TelegramFormatter(limit: 10).pieces("abcdefghijklmnop") == ["abcdefghij", "klmnop"])
}
