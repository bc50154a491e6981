import LeopostCore
import Testing

@Suite("Text splitter: pieces within a channel's limit, cut at good places")
struct TextSplitterTests {
    @Test func shortTextIsOnePieceAndEmptyTextNone() {
        #expect(TextSplitter(limit: 10).split("hello") == ["hello"])
        #expect(TextSplitter(limit: 10).split("") == [])
    }

    @Test func longTextIsCutBetweenParagraphsThenSentencesThenWords() {
        let text = "First paragraph here.\n\nThe second paragraph. It has two sentences."
        #expect(TextSplitter(limit: 40).split(text) == ["First paragraph here.", "The second paragraph.", "It has two sentences."])
        #expect(TextSplitter(limit: 12).split("alpha beta gamma delta") == ["alpha beta", "gamma delta"])
    }

    @Test func everyPieceFitsAndNothingIsLost() {
        let text = (1...400).map { "Sentence number \($0) is here." }.joined(separator: " ")
        let pieces = TextSplitter(limit: 4096).split(text)
        #expect(pieces.count > 1)
        #expect(pieces.allSatisfy { $0.utf16.count <= 4096 })
        #expect(pieces.joined(separator: " ") == text)
    }

    @Test func surrogatePairsAndEmojiAreNeverCut() {
        let text = String(repeating: "😀", count: 10)  // 2 UTF-16 units each
        let pieces = TextSplitter(limit: 5).split(text)
        #expect(pieces.allSatisfy { $0.utf16.count <= 5 })
        #expect(pieces.joined() == text)
        #expect(pieces.allSatisfy { $0.unicodeScalars.allSatisfy { $0.value == 0x1F600 } })
    }
}
