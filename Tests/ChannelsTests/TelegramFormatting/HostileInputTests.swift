import Testing

@testable import LeopostChannels

/// Floods of markers from a misbehaving model; passed by index to keep failure output short.
private let floods = [
    String(repeating: "*a _b [c ", count: 3000),
    String(repeating: "**a ", count: 5000),
    String(repeating: "[x](", count: 5000),
    String(repeating: "[", count: 9000) + "]",
    String(repeating: "*a _b [c `d ", count: 2000),
    "```" + String(repeating: " ``", count: 3000),
]

@Test(arguments: floods.indices)
func markerFloodsParseIntoValidHTML(index: Int) throws {
    // Quadratic parsing would make this test take minutes; it is not timed, so a loaded machine cannot fail it.
    let pieces = TelegramFormatter().pieces(floods[index])
    let visible = try pieces.map { try TelegramHTML($0).visible }.joined()
    if index < 4 {  // nothing in these can pair up, so every marker stays literal
        #expect(visible.filter { !$0.isWhitespace } == floods[index].filter { !$0.isWhitespace })
    }
}

@Test func lineEndingsAreNormalised() {
    #expect(TelegramFormatter().pieces("**a**\r\nb\rc") == ["<b>a</b>\nb\nc"])
}
