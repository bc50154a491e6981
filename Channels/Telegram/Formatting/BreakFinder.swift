/// Chooses where a piece ends. It fills the piece up to the limit, then looks back for the
/// best boundary: blank line, line break, sentence end, space. A boundary is only taken in
/// the second half of the window, so a piece is never wasted on a tiny fragment; without one
/// the cut falls on the last grapheme boundary that fits.
struct BreakFinder {
    let characters: [Character]
    let limit: Int

    /// End (exclusive) of the piece that starts at `start`; always greater than `start`.
    func cut(from start: Int) -> Int {
        var units = 0
        var index = start
        var halfway: Int?
        while index < characters.count {
            let width = characters[index].utf16.count
            guard units + width <= limit else { break }
            units += width
            index += 1
            if halfway == nil, units * 2 >= limit { halfway = index }
        }
        if index == characters.count { return index }
        if index == start { return start + 1 }
        let earliest = max(halfway ?? index, start + 1)
        for boundary in Boundary.allCases {
            if let cut = (earliest...index).last(where: { boundary.matches(at: $0, in: characters) }) {
                return cut
            }
        }
        return index
    }
}
