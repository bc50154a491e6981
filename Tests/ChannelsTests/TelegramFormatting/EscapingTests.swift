import Testing

@testable import LeopostChannels

@Test func escapesScriptTagsAndAmpersands() {
    #expect(TelegramFormatter.escape("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;")
    #expect(TelegramFormatter.escape("Tom & Jerry \"quoted\"") == "Tom &amp; Jerry &quot;quoted&quot;")
    #expect(TelegramFormatter.escape("&amp;") == "&amp;amp;")
}

@Test func modelHTMLNeverBecomesMarkup() throws {
    let pieces = TelegramFormatter().pieces("<b>x</b> <script>alert('&')</script> a<b & c>d")
    #expect(pieces == ["&lt;b&gt;x&lt;/b&gt; &lt;script&gt;alert('&amp;')&lt;/script&gt; a&lt;b &amp; c&gt;d"])
    #expect(try TelegramHTML(pieces[0]).tags.isEmpty)
}

@Test func emptyOrBlankTextGivesNoPieces() {
    #expect(TelegramFormatter().pieces("").isEmpty)
    #expect(TelegramFormatter().pieces(" \n\n \t").isEmpty)
}
