/// Kinds of cut point, best first. A cut at `index` ends the piece just before `characters[index]`.
enum Boundary: CaseIterable {
    case paragraph
    case line
    case sentence
    case word

    func matches(at index: Int, in characters: [Character]) -> Bool {
        let character = characters[index]
        switch self {
        case .paragraph:
            guard character.isNewline else { return false }
            var next = index + 1
            while next < characters.count, characters[next] == " " || characters[next] == "\t" { next += 1 }
            return next < characters.count && characters[next].isNewline
        case .line:
            return character.isNewline
        case .sentence:
            return character.isWhitespace && index > 0 && ".!?".contains(characters[index - 1])
        case .word:
            return character.isWhitespace
        }
    }
}
