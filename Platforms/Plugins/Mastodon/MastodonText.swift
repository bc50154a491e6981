import Foundation
import LeopostPluginKit

/// Mastodon's text rules, in the two places the plugin needs them: the length a status counts
/// for, and the comparison of a status's HTML `content` with the text that was sent.
enum MastodonText {
    /// The length `StatusLengthValidator` counts: grapheme clusters, each `http(s)://` link as 23,
    /// and a mention `@user@domain` as `@user` (the domain is free).
    static func length(of text: String) -> Int {
        MastodonLinks.pieces(of: text).reduce(0) { total, piece in
            switch piece {
            case .link: total + 23
            case .text(let plain): total + withoutMentionDomains(plain).count
            }
        }
    }

    /// A form of `text` in which what Mastodon's formatting changes no longer matters:
    /// Unicode composition, runs of white space (paragraphs become `<p>`, lines `<br />`),
    /// leading and trailing space, and the domain of a mention (shown without it).
    static func comparable(_ text: String) -> String {
        withoutMentionDomains(text.precomposedStringWithCanonicalMapping)
            .split(whereSeparator: { $0.isWhitespace })
            .joined(separator: " ")
    }

    /// The plain text of a status's HTML `content`: `<br>` becomes a line break, a paragraph end a
    /// blank line, other tags vanish (a link's hidden spans keep the whole URL), and the entities
    /// Mastodon writes (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;`, numeric ones) are decoded.
    static func plainText(fromHTML html: String) -> String {
        var text = ""
        var tag: String?
        for character in html {
            if var open = tag {
                if character == ">" {
                    let lower = open.lowercased()
                    let closing = lower.hasPrefix("/")
                    let name = (closing ? lower.dropFirst() : lower[...]).prefix(while: { $0.isLetter || $0.isNumber })
                    if !closing && name == "br" { text.append("\n") }
                    if closing && name == "p" { text.append("\n\n") }
                    tag = nil
                } else {
                    open.append(character)
                    tag = open
                }
            } else if character == "<" {
                tag = ""
            } else {
                text.append(character)
            }
        }
        return decodingEntities(text)
    }

    /// `@user@example.social` as `@user`, as Mastodon counts and displays a mention.
    private static func withoutMentionDomains(_ text: String) -> String {
        let characters = Array(text)
        var result = ""
        var index = 0
        while index < characters.count {
            let character = characters[index]
            result.append(character)
            index += 1
            guard character == "@", index == 1 || !isNameCharacter(characters[index - 2]) else { continue }
            var nameEnd = index
            while nameEnd < characters.count, isNameCharacter(characters[nameEnd]) { nameEnd += 1 }
            guard nameEnd > index else { continue }
            result.append(contentsOf: characters[index..<nameEnd])
            index = nameEnd
            guard index < characters.count, characters[index] == "@" else { continue }
            var domainEnd = index + 1
            while domainEnd < characters.count,
                characters[domainEnd].isLetter || characters[domainEnd].isNumber || "-.".contains(characters[domainEnd])
            {
                domainEnd += 1
            }
            while domainEnd > index + 1, characters[domainEnd - 1] == "." { domainEnd -= 1 }
            if characters[(index + 1)..<domainEnd].contains(".") { index = domainEnd }
        }
        return result
    }

    private static func isNameCharacter(_ character: Character) -> Bool {
        character == "_" || (character.isASCII && (character.isLetter || character.isNumber))
    }

    /// Decodes the character references HTML escaping produces.
    private static func decodingEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        let named: [String: String] = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}"]
        var result = ""
        var rest = Substring(text)
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            let afterAmpersand = rest.index(after: ampersand)
            let window = rest[afterAmpersand...].prefix(12)
            if let semicolon = window.firstIndex(of: ";") {
                let name = String(rest[afterAmpersand..<semicolon])
                var decoded: String?
                if let value = named[name] {
                    decoded = value
                } else if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    decoded = UInt32(name.dropFirst(2), radix: 16).flatMap { Unicode.Scalar($0) }.map { String(Character($0)) }
                } else if name.hasPrefix("#") {
                    decoded = UInt32(name.dropFirst()).flatMap { Unicode.Scalar($0) }.map { String(Character($0)) }
                }
                if let decoded {
                    result += decoded
                    rest = rest[rest.index(after: semicolon)...]
                    continue
                }
            }
            result += "&"
            rest = rest[afterAmpersand...]
        }
        return result + rest
    }
}
