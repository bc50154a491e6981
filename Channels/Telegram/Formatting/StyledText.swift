/// Visible text as grapheme clusters, each with its style.
///
/// Working on `Character`s means every cut the splitter makes is a grapheme boundary,
/// so emoji sequences, flags and surrogate pairs are never torn apart.
struct StyledText: Sendable {
    private(set) var characters: [Character] = []
    private(set) var styles: [TextStyle] = []

    mutating func append(_ character: Character, style: TextStyle) {
        characters.append(character)
        styles.append(style)
    }

    mutating func append<S: Sequence>(contentsOf text: S, style: TextStyle) where S.Element == Character {
        for character in text { append(character, style: style) }
    }

    /// Breaks any grapheme longer than `limit` UTF-16 units into its Unicode scalars.
    /// Only a pathological cluster (e.g. hundreds of combining marks) needs this; the
    /// message limit is a hard constraint, so it wins over keeping such a cluster whole.
    func splittingOversizedCharacters(limit: Int) -> StyledText {
        guard characters.contains(where: { $0.utf16.count > limit }) else { return self }
        var result = StyledText()
        for (character, style) in zip(characters, styles) {
            if character.utf16.count > limit {
                for scalar in character.unicodeScalars { result.append(Character(scalar), style: style) }
            } else {
                result.append(character, style: style)
            }
        }
        return result
    }
}
