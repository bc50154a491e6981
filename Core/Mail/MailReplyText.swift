import Foundation

/// What a person newly wrote in a mail, without the history their client quoted under it or
/// their signature: what the assistant should read. The stored message keeps the whole text.
///
/// Clients mark the quote in a few well-known ways, each cut at its first line:
/// - Gmail and Apple Mail: an attribution line ending in "wrote:" (`On Mon, 7 Dec 2026 at 09:00,
///   Anna <anna@example.com> wrote:`), possibly folded over two lines; also German "schrieb" and
///   French "a écrit".
/// - Outlook: `-----Original Message-----`, or a header block starting `From:` that is followed by
///   `Sent:` or `Date:`, often under a line of underscores.
/// - German Gmail: `Am … schrieb Anna <anna@example.com>:`.
/// - Any client: lines quoted with `>`.
/// - The signature delimiter `-- ` (RFC 3676), and everything after it.
public enum MailReplyText {
    /// The new text of `text`; the whole text when cutting would leave nothing (a mail that is all
    /// quote, forwarded as is).
    public static func newText(of text: String) -> String {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
        var kept: [String] = []
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if line == "-- " || line == "--" { break }
            if trimmed.hasPrefix(">") { break }
            if isOriginalMessageMarker(trimmed) { break }
            if isAttribution(trimmed, next: lines.dropFirst(index + 1).first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) { break }
            if isOutlookHeader(trimmed, following: lines.dropFirst(index + 1).prefix(4)) { break }
            kept.append(line)
        }
        while let last = kept.last, last.trimmingCharacters(in: .whitespaces).isEmpty || isUnderscoreRule(last) { kept.removeLast() }
        let result = kept.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return result.isEmpty ? text.trimmingCharacters(in: .whitespacesAndNewlines) : result
    }

    private static let attributionEndings = ["wrote:", "schrieb:", "a écrit :", "a écrit:", "escribió:", "ha scritto:"]

    /// `On … wrote:`; or its first half, when a client folded it before the last words.
    private static func isAttribution(_ line: String, next: String?) -> Bool {
        let lower = line.lowercased()
        let opens = ["on ", "am ", "le ", "el ", "il "].contains { lower.hasPrefix($0) }
        if opens, attributionEndings.contains(where: { lower.hasSuffix($0) }) { return true }
        // German Gmail names the writer last: `Am 07.12.2026 um 09:00 schrieb Anna <anna@example.com>:`.
        if lower.hasPrefix("am "), lower.contains(" schrieb "), lower.hasSuffix(":") { return true }
        guard opens, lower.contains("@") || lower.contains(":"), let next = next?.trimmingCharacters(in: .whitespaces).lowercased() else {
            return false
        }
        return attributionEndings.contains { next.hasSuffix($0) } && next.count < 80
    }

    private static func isOriginalMessageMarker(_ line: String) -> Bool {
        let lower = line.lowercased()
        return lower.hasPrefix("-----original message-----") || lower.hasPrefix("----- original message -----")
            || lower.hasPrefix("-------- original message --------") || lower.hasPrefix("begin forwarded message:")
    }

    /// Outlook's quoted header block: `From:` followed closely by `Sent:` or `Date:`.
    private static func isOutlookHeader(_ line: String, following: ArraySlice<String>) -> Bool {
        guard line.lowercased().hasPrefix("from:") else { return false }
        return following.contains { next in
            let lower = next.trimmingCharacters(in: .whitespaces).lowercased()
            return lower.hasPrefix("sent:") || lower.hasPrefix("date:")
        }
    }

    private static func isUnderscoreRule(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.count >= 5 && trimmed.allSatisfy { $0 == "_" }
    }
}
