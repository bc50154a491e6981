/// LinkedIn's "little" text format, which the Posts API's `commentary` field is written in.
///
/// little gives `@[Name](urn)` mentions, `#tag` hashtags and `{hashtag|#|tag}` templates their
/// meaning, and LinkedIn's documentation is explicit that "all reserved characters need to be
/// escaped with a backslash, even if those characters are not used in one of the supported
/// elements or templates". Sent raw, a post holding "(an aside)" or "snake_case" is cut short or
/// mangled on the member's feed. Leopost's text is plain prose, so every reserved character is
/// escaped: a "#tag" then shows as the text "#tag", not as a clickable hashtag, which is the
/// price of never publishing something other than what the person wrote.
enum LinkedInLittleText {
    /// The reserved characters of the little grammar (its `Text` production): `| { } @ [ ] ( ) < > # \ * _ ~`.
    static let reserved: Set<Unicode.Scalar> = ["|", "{", "}", "@", "[", "]", "(", ")", "<", ">", "#", "\\", "*", "_", "~"]

    /// `text` with a backslash before every reserved character, so LinkedIn shows it as written.
    ///
    /// Works on Unicode scalars, not characters: a keycap emoji "#️⃣" is one character but starts
    /// with a reserved "#", which LinkedIn's parser would still see.
    static func escape(_ text: String) -> String {
        var escaped = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if reserved.contains(scalar) { escaped.append("\\") }
            escaped.append(scalar)
        }
        return String(escaped)
    }
}
