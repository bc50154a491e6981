/// An opening ```` ``` ```` line. A fence only counts when a closing line follows;
/// otherwise its backticks stay literal, like any other unbalanced marker.
struct CodeFence {
    let width: Int
    /// Info-string language, limited to characters that are safe in a class name.
    let language: String?

    init?(opening line: Substring) {
        let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
        let width = trimmed.prefix(while: { $0 == "`" }).count
        guard width >= 3 else { return nil }
        let info = trimmed.dropFirst(width).trimmingWhitespace()
        guard !info.contains("`") else { return nil }
        let allowed = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+#_.-"
        let language = String(info.prefix(while: { allowed.contains($0) }).prefix(32))
        self.width = width
        self.language = language.isEmpty ? nil : language
    }

    /// Index of the line that closes this fence: only backticks, at least as many as opened it.
    func closingLine(in lines: [Substring], after opening: Int) -> Int? {
        lines.indices.dropFirst(opening + 1).first { index in
            let trimmed = lines[index].trimmingWhitespace()
            return trimmed.count >= width && trimmed.allSatisfy { $0 == "`" }
        }
    }
}
