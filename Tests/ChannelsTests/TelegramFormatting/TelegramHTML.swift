/// A strict reader of the HTML the formatter produces, used only by tests.
/// It keeps a tag stack, allows only Telegram's tags, recognises the four entities we emit,
/// rejects raw `<`, `>` and `&`, and yields the visible text Telegram would count.
struct TelegramHTML {
    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    let visible: String
    let tags: [String]

    static let entities = ["amp": "&", "lt": "<", "gt": ">", "quot": "\""]

    init(_ html: String) throws {
        let scalars = Array(html.unicodeScalars)
        var visible = String.UnicodeScalarView()
        var stack: [String] = []
        var tags: [String] = []
        var index = 0
        while index < scalars.count {
            switch scalars[index] {
            case "<":
                guard let close = scalars[index...].firstIndex(of: ">") else { throw Invalid(description: "unterminated tag") }
                let tag = String(String.UnicodeScalarView(scalars[(index + 1)..<close]))
                try Self.apply(tag, to: &stack)
                tags.append(tag)
                index = close + 1
            case "&":
                guard let semicolon = scalars[index...].prefix(6).firstIndex(of: ";"),
                    let decoded = Self.entities[String(String.UnicodeScalarView(scalars[(index + 1)..<semicolon]))]
                else { throw Invalid(description: "raw & at \(index)") }
                visible.append(contentsOf: decoded.unicodeScalars)
                index = semicolon + 1
            case ">":
                throw Invalid(description: "raw > at \(index)")
            default:
                visible.append(scalars[index])
                index += 1
            }
        }
        guard stack.isEmpty else { throw Invalid(description: "unclosed \(stack)") }
        self.visible = String(visible)
        self.tags = tags
    }

    private static func apply(_ tag: String, to stack: inout [String]) throws {
        if tag.hasPrefix("/") {
            guard stack.last == String(tag.dropFirst()) else { throw Invalid(description: "mismatched <\(tag)> in \(stack)") }
            stack.removeLast()
            return
        }
        let name = String(tag.prefix(while: { $0 != " " }))
        let attributes = String(tag.dropFirst(name.count))
        switch (name, attributes) {
        case ("b", ""), ("i", ""), ("code", ""), ("pre", ""):
            break
        case ("a", _):
            guard attributes.hasPrefix(" href=\"http"), attributes.hasSuffix("\""),
                !attributes.dropFirst(7).dropLast().contains("\"")
            else { throw Invalid(description: "bad link <\(tag)>") }
        case ("code", _) where stack.last == "pre" && attributes.hasPrefix(" class=\"language-"):
            break
        default:
            throw Invalid(description: "unexpected tag <\(tag)>")
        }
        stack.append(name)
    }
}
