import Foundation

/// The entities ``FakeMastodon`` answers with, shaped as Mastodon's Status and Account
/// (docs.joinmastodon.org/entities), and the text rules behind them: the HTML of `content` as
/// Mastodon's `TextFormatter` writes it and the length `StatusLengthValidator` counts.
extension FakeMastodon {
    /// A Status entity for an accepted post.
    func statusJSON(_ post: FakePlatformPost, origin: String) -> [String: Any] {
        [
            "id": post.id, "created_at": Self.timestamp(post.createdAt, fractionDigits: 3),
            "in_reply_to_id": NSNull(), "in_reply_to_account_id": NSNull(), "sensitive": false, "spoiler_text": "",
            "visibility": visibility(of: post.id), "language": "en",
            "uri": "\(origin)/users/\(username)/statuses/\(post.id)", "url": "\(origin)/@\(username)/\(post.id)",
            "replies_count": 0, "reblogs_count": 0, "favourites_count": 0, "edited_at": NSNull(),
            "favourited": false, "reblogged": false, "muted": false, "bookmarked": false, "pinned": false,
            "content": Self.html(post.text), "reblog": NSNull(),
            "application": ["name": "Leopost", "website": NSNull()] as [String: Any],
            "account": account(origin: origin),
            "media_attachments": [Any](), "mentions": [Any](), "tags": [Any](), "emojis": [Any](), "card": NSNull(), "poll": NSNull(),
        ]
    }

    /// The Account entity of the instance's one account.
    func account(origin: String) -> [String: Any] {
        let posts = ledger.posts
        return [
            "id": accountID, "username": username, "acct": username, "display_name": "Leopost", "locked": false, "bot": false,
            "discoverable": true, "group": false, "created_at": "2022-11-01T00:00:00.000Z", "note": "<p>Posts from Leopost.</p>",
            "url": "\(origin)/@\(username)", "uri": "\(origin)/users/\(username)",
            "avatar": "\(origin)/avatars/original/missing.png", "avatar_static": "\(origin)/avatars/original/missing.png",
            "header": "\(origin)/headers/original/missing.png", "header_static": "\(origin)/headers/original/missing.png",
            "followers_count": 0, "following_count": 0, "statuses_count": posts.count,
            "last_status_at": posts.last.map { String(Self.timestamp($0.createdAt, fractionDigits: 0).prefix(10)) as Any } ?? NSNull(),
            "emojis": [Any](), "fields": [Any](),
        ]
    }

    /// The length Mastodon counts: grapheme clusters, each `http(s)://` link as 23.
    static func countedLength(_ text: String) -> Int {
        pieces(of: text).reduce(0) { total, piece in total + (piece.isLink ? 23 : piece.text.count) }
    }

    /// `content` as `TextFormatter` writes plain text: HTML-escaped, links wrapped in Mastodon's
    /// spans (scheme hidden, the rest cut at 30 characters), paragraphs (split at blank lines)
    /// in `<p>`, single line breaks as `<br />`.
    static func html(_ text: String) -> String {
        var paragraphs: [[String]] = []
        var current: [String] = []
        for line in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy(\.isWhitespace) {
                if !current.isEmpty { paragraphs.append(current) }
                current = []
            } else {
                current.append(String(line))
            }
        }
        if !current.isEmpty { paragraphs.append(current) }
        return paragraphs.map { lines in "<p>" + lines.map(linkified).joined(separator: "<br />") + "</p>" }.joined()
    }

    /// ISO 8601 in UTC with `fractionDigits` digits of the second, truncated as Ruby's
    /// `iso8601(n)` does: 3 for `created_at`, 6 for `X-RateLimit-Reset`, 0 for none.
    static func timestamp(_ date: Date, fractionDigits: Int) -> String {
        let whole = date.timeIntervalSince1970.rounded(.down)
        let text = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: whole))  // 2020-09-08T13:25:00Z
        guard fractionDigits > 0 else { return text }
        var scale = 1.0
        for _ in 0..<fractionDigits { scale *= 10 }
        let digits = String(Int((date.timeIntervalSince1970 - whole) * scale))
        return String(text.dropLast()) + "." + String(repeating: "0", count: max(0, fractionDigits - digits.count)) + digits + "Z"
    }

    /// One line with its links wrapped and everything else escaped.
    private static func linkified(_ line: String) -> String {
        pieces(of: line).map { piece in
            guard piece.isLink else { return escaped(piece.text) }
            let url = piece.text
            let prefix =
                url.lowercased().hasPrefix("https://www.") || url.lowercased().hasPrefix("http://www.")
                ? String(url.prefix(url.lowercased().hasPrefix("https") ? 12 : 11))
                : String(url.prefix(url.lowercased().hasPrefix("https") ? 8 : 7))
            let rest = url.dropFirst(prefix.count)
            let display = String(rest.prefix(30))
            let suffix = String(rest.dropFirst(30))
            return #"<a href="\#(escaped(url))" target="_blank" rel="nofollow noopener noreferrer">"#
                + #"<span class="invisible">\#(escaped(prefix))</span>"#
                + #"<span class="\#(rest.count > 30 ? "ellipsis" : "")">\#(escaped(display))</span>"#
                + #"<span class="invisible">\#(escaped(suffix))</span></a>"#
        }.joined()
    }

    /// Ruby's `ERB::Util.html_escape`.
    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }

    /// Text cut into plain runs and `http(s)://` links (to the next space, less trailing `.,;:!?`).
    private static func pieces(of text: String) -> [(text: String, isLink: Bool)] {
        var pieces: [(text: String, isLink: Bool)] = []
        var rest = Substring(text)
        while let start = rest.range(of: "http", options: .caseInsensitive)?.lowerBound {
            let candidate = rest[start...]
            let lower = candidate.prefix(8).lowercased()
            let boundary = start == rest.startIndex || !(rest[rest.index(before: start)].isLetter || rest[rest.index(before: start)].isNumber)
            guard boundary, lower.hasPrefix("https://") || lower.hasPrefix("http://") else {
                pieces.append((String(rest[...start]), false))
                rest = rest[rest.index(after: start)...]
                continue
            }
            var end = candidate.firstIndex(where: { $0.isWhitespace }) ?? candidate.endIndex
            while end > start, ".,;:!?".contains(candidate[candidate.index(before: end)]) { end = candidate.index(before: end) }
            pieces.append((String(rest[..<start]), false))
            pieces.append((String(rest[start..<end]), true))
            rest = rest[end...]
        }
        pieces.append((String(rest), false))
        return pieces.filter { !$0.text.isEmpty }
    }
}
