/// Deterministic mixed Markdown of at least `length` characters, covering every construct.
enum SampleText {
    static let blocks = [
        "## Heading with *style*",
        "Plain sentence one. Another one! A question? Then **bold text that goes on** and _italic_ with `code <x> & y`.",
        "- bullet with [a link](https://example.com/?q=1&r=2) and emoji 👍🏽🇩🇪👨‍👩‍👧",
        "* second bullet: 5 < 6 && 7 > 3 \"quoted\"",
        "```python\ndef f(x):\n    return x * 2  # <tag> & more\n```",
        "A paragraph with a very long run of words without any sentence end that just keeps going and going " + String(repeating: "word ", count: 40),
        "Ünïcödé àccents, CJK 漢字かな, and a flag parade 🇫🇷🇯🇵🇧🇷.",
    ]

    static func make(length: Int) -> String {
        var text = ""
        var index = 0
        while text.count < length {
            text += blocks[index % blocks.count] + "\n\n"
            index += 1
        }
        return text
    }
}
