import Testing

@testable import LeopostChannels

private func html(_ text: String) -> String {
    let pieces = TelegramFormatter().pieces(text)
    #expect(pieces.count == 1)
    return pieces.first ?? ""
}

@Test func convertsInlineMarkers() {
    #expect(html("a **bold** b") == "a <b>bold</b> b")
    #expect(html("a *it* and _it_") == "a <i>it</i> and <i>it</i>")
    #expect(html("run `ls <dir> && x`") == "run <code>ls &lt;dir&gt; &amp;&amp; x</code>")
    #expect(html("``a ` b``") == "<code>a ` b</code>")
    #expect(html("**bold *both* `code`**") == "<b>bold <i>both</i> <code>code</code></b>")
    #expect(html("***x***") == "<b><i>x</i></b>")
}

@Test func convertsLinksWithEscapedHref() {
    #expect(html("see [docs](https://e.com/?a=1&b=2)") == "see <a href=\"https://e.com/?a=1&amp;b=2\">docs</a>")
    #expect(html("[**b** x](https://e.com/wiki/A_(b))") == "<a href=\"https://e.com/wiki/A_(b)\"><b>b</b> x</a>")
}

@Test func onlyHTTPLinksBecomeLinks() {
    #expect(html("[x](javascript:alert(1))") == "[x](javascript:alert(1))")
    #expect(html("[x](JavaScript://%0aalert(1))") == "[x](JavaScript://%0aalert(1))")
    #expect(html("[x](tg://resolve?domain=a)") == "[x](tg://resolve?domain=a)")
    #expect(html("[x](https://a.com/\"onclick=\")") == "[x](https://a.com/&quot;onclick=&quot;)")
    #expect(html("[](https://a.com)") == "[](https://a.com)")
}

@Test func unbalancedMarkersStayLiteral() {
    #expect(html("2 * 3 * 4") == "2 * 3 * 4")
    #expect(html("**not closed") == "**not closed")
    #expect(html("*also not") == "*also not")
    #expect(html("snake_case_name and `tick") == "snake_case_name and `tick")
    #expect(html("[text](https://a.com") == "[text](https://a.com")
    #expect(html("** spaced **") == "** spaced **")
    #expect(html("```swift\nlet x = 1") == "```swift\nlet x = 1")
}

@Test func convertsBlocks() {
    let text = "# Title\n## Sub *x*\n- one\n* two **b**\n#nohead\n```swift\nif a < b {\n    print(\"*no*\")\n}\n```\nafter"
    let expected =
        "<b>Title</b>\n<b>Sub <i>x</i></b>\n• one\n• two <b>b</b>\n#nohead\n"
        + "<pre><code class=\"language-swift\">if a &lt; b {\n    print(&quot;*no*&quot;)\n}</code></pre>\nafter"
    #expect(html(text) == expected)
    #expect(html("```\nplain\n```") == "<pre>plain</pre>")
}
