import LeopostPluginKit

/// Finds the links in a post the way X's twitter-text does before weighing it: each link,
/// whatever its length, is wrapped in t.co and weighs 23.
///
/// twitter-text finds links with a scheme (`https://...`) and also without one: a bare domain
/// counts when its top-level domain is a generic one (`leopost.com`), or a country code with a
/// path, a subdomain, or `.co`/`.tv` (`example.de/x`, `www.example.de`, `example.co`; not
/// `example.de`). This is a simplification of it: the generic TLDs are a list of common ones,
/// not the full registry, so a rare TLD counts at its literal length; trailing punctuation
/// (`.,;:!?'"` and an unbalanced `)`) is not part of a link.
enum XLinks {
    /// `text` cut into plain pieces and links, in order.
    static func pieces(of text: String) -> [PluginLinks.Piece] {
        PluginLinks.pieces(of: text) { characters, index in
            schemeLinkEnd(in: characters, from: index) ?? bareLinkEnd(in: characters, from: index)
        }
    }

    /// Generic top-level domains common enough to meet in a post (twitter-text knows them all).
    private static let genericTLDs: Set<String> = [
        "com", "net", "org", "edu", "gov", "mil", "int", "info", "biz", "name", "pro", "aero", "coop", "museum", "mobi", "asia",
        "tel", "travel", "jobs", "cat", "app", "dev", "page", "blog", "shop", "store", "online", "site", "website", "tech", "xyz",
        "club", "live", "news", "top", "cloud", "space", "world", "life", "today", "media", "agency", "studio", "design",
        "digital", "email", "link", "network", "social", "team", "tools", "solutions", "systems", "services", "company",
        "consulting", "marketing", "academy", "zone", "art", "fun", "games", "ltd", "global", "guru", "photo", "photography",
        "gallery", "events", "center", "city", "community", "foundation", "support", "software", "finance", "money", "capital",
        "fund", "ventures", "help", "wiki", "works", "run", "chat",
    ]

    /// Country codes twitter-text accepts without a path even for a one-label domain.
    private static let specialCountryCodes: Set<String> = ["co", "tv"]

    /// Characters that may not come right before a link.
    private static func blocksLink(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || "@$#＠＃".contains(character)
    }

    /// The end of an `http(s)://` link starting at `start`, or `nil`.
    private static func schemeLinkEnd(in characters: [Character], from start: Int) -> Int? {
        if start > 0, blocksLink(characters[start - 1]) { return nil }
        guard let scheme = PluginLinks.scheme(in: characters, at: start) else { return nil }
        let end = PluginLinks.trimmedEnd(characters, from: start, to: PluginLinks.runEnd(characters, from: start + scheme.count))
        let rest = String(characters[(start + scheme.count)..<end])
        let host = rest.prefix(while: { !"/?#:".contains($0) })
        guard host.contains("."), !host.hasPrefix(".") else { return nil }
        return end
    }

    /// The end of a bare-domain link (`leopost.com/path`) starting at `start`, or `nil`.
    private static func bareLinkEnd(in characters: [Character], from start: Int) -> Int? {
        if start > 0, blocksLink(characters[start - 1]) || "-_./".contains(characters[start - 1]) { return nil }
        var domainEnd = start
        while domainEnd < characters.count, characters[domainEnd].isASCII,
            characters[domainEnd].isLetter || characters[domainEnd].isNumber || characters[domainEnd] == "-" || characters[domainEnd] == "."
        {
            domainEnd += 1
        }
        while domainEnd > start, characters[domainEnd - 1] == "." { domainEnd -= 1 }
        let labels = String(characters[start..<domainEnd]).split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") }),
            let tld = labels.last?.lowercased(), tld.count >= 2, tld.allSatisfy(\.isLetter)
        else { return nil }
        let hasPath = domainEnd < characters.count && characters[domainEnd] == "/"
        let isLink =
            genericTLDs.contains(tld) || (tld.count == 2 && (hasPath || labels.count >= 3 || specialCountryCodes.contains(tld)))
        guard isLink else { return nil }
        guard hasPath else { return domainEnd }
        return max(domainEnd, PluginLinks.trimmedEnd(characters, from: start, to: PluginLinks.runEnd(characters, from: domainEnd)))
    }
}
