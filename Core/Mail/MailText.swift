import Foundation

/// The text of an HTML-only mail, for the assistant to read: tags dropped, block ends as line
/// breaks, the common entities decoded, `<style>` and `<script>` content left out. Not a renderer;
/// what a person wrote survives, the layout does not.
enum MailText {
    static func plainText(fromHTML html: String) -> String {
        var text = ""
        var index = html.startIndex
        while index < html.endIndex {
            let character = html[index]
            if character == "<", let close = html[index...].firstIndex(of: ">") {
                let tag = html[html.index(after: index)..<close].lowercased()
                let name = tag.drop(while: { $0 == "/" }).prefix(while: { $0.isLetter || $0.isNumber })
                if !tag.hasPrefix("/"), name == "style" || name == "script",
                    let end = html.range(of: "</\(name)", options: .caseInsensitive, range: close..<html.endIndex)
                {
                    index = html[end.upperBound...].firstIndex(of: ">").map(html.index(after:)) ?? html.endIndex
                    continue
                }
                if ["br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "blockquote"].contains(String(name)), !text.hasSuffix("\n") {
                    text += "\n"
                }
                index = html.index(after: close)
                continue
            }
            if character == "&", let semicolon = html[index...].prefix(10).firstIndex(of: ";") {
                let entity = html[html.index(after: index)..<semicolon]
                if let decoded = Self.entity(String(entity)) {
                    text += decoded
                    index = html.index(after: semicolon)
                    continue
                }
            }
            text.append(character)
            index = html.index(after: index)
        }
        // HTML collapses runs of white space; so does its text.
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ") }
            .joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func entity(_ name: String) -> String? {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos", "#39": return "'"
        case "nbsp": return " "
        default:
            guard name.hasPrefix("#") else { return nil }
            let digits = name.dropFirst()
            let value = digits.hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            return value.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
        }
    }
}
