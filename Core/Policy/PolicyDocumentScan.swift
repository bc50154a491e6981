/// A pass over a policy's text before any YAML library sees it, refusing what could make
/// parsing cost more than the document's size: anchors and aliases (a few hundred bytes of nested
/// aliases used as mapping keys expand into a tree that takes minutes to compare), deep nesting
/// (the composer recurses once per level) and oversized documents.
///
/// It knows just enough YAML to find where a node starts: after indentation, `- `, `? `, `: `,
/// and inside flow collections after `[`, `{` and `,`; quoted scalars, comments and block
/// scalars (`|`, `>`) are skipped. A `&` or `*` at a node's start is an anchor or an alias; anywhere
/// else it is text (`5 * 3`, `R&D`).
struct PolicyDocumentScan {
    /// The largest document taken, in bytes. A policy is a page of settings.
    static let maxBytes = 64 * 1024
    /// The deepest flow nesting (`[[[...]]]`) taken.
    static let maxFlowDepth = 16
    /// The farthest column a node may start at: block nesting needs a column per level, so this bounds it.
    static let maxColumn = 160

    /// The first problem, or `nil` when the document may be parsed.
    static func problem(in text: String) -> PolicyIssue? {
        guard text.utf8.count <= maxBytes else {
            return PolicyIssue(
                line: 1, column: 1, field: "(document)", message: "the document is \(text.utf8.count) bytes; a policy may have at most \(maxBytes)")
        }
        var scan = PolicyDocumentScan(bytes: Array(text.utf8))
        return scan.run()
    }

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0
    private var flowDepth = 0
    /// Indentation of the line that opened a block scalar, while its content lines are skipped.
    private var blockScalarIndent: Int?

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private var column: Int { index - lineStart + 1 }

    private func at(_ offset: Int = 0) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    private static func isBlank(_ byte: UInt8?) -> Bool { byte == nil || byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    private func issue(_ message: String) -> PolicyIssue {
        PolicyIssue(line: line, column: column, field: "(document)", message: message)
    }

    private mutating func run() -> PolicyIssue? {
        while index < bytes.count {
            if let problem = startLine() { return problem }
            while let byte = at(), byte != 0x0A {
                if let problem = step(byte) { return problem }
            }
            if at() == 0x0A { newLine() }
        }
        return nil
    }

    private mutating func newLine() {
        index += 1
        line += 1
        lineStart = index
    }

    /// At a line's start: skips a block scalar's content, else the indentation, then sees a node start.
    private mutating func startLine() -> PolicyIssue? {
        var indent = 0
        while at(indent) == 0x20 { indent += 1 }
        if let blockIndent = blockScalarIndent {
            let blank = at(indent) == 0x0A || at(indent) == nil || at(indent) == 0x0D
            if blank || indent > blockIndent {
                while let byte = at(), byte != 0x0A { index += 1 }
                return nil
            }
            blockScalarIndent = nil
        }
        index += indent
        return nodeStart()
    }

    /// One byte inside a line, outside any quoted scalar.
    private mutating func step(_ byte: UInt8) -> PolicyIssue? {
        switch byte {
        case UInt8(ascii: "#") where index == lineStart || Self.isBlank(bytes[index - 1]):
            while let next = at(), next != 0x0A { index += 1 }
        case UInt8(ascii: ":") where Self.isBlank(at(1)) || (flowDepth > 0 && at(1) == UInt8(ascii: ",")):
            index += 1
            return nodeStart()
        case UInt8(ascii: ",") where flowDepth > 0:
            index += 1
            return nodeStart()
        case UInt8(ascii: "]"), UInt8(ascii: "}"):
            if flowDepth > 0 { flowDepth -= 1 }
            index += 1
        default:
            // Quotes inside a plain scalar (`it's`) are text: a quoted scalar starts only at a node's start.
            index += 1
        }
        return nil
    }

    /// Where a node may begin: skips blanks, then judges the first byte.
    private mutating func nodeStart() -> PolicyIssue? {
        while at() == 0x20 || at() == 0x09 { index += 1 }
        guard let byte = at(), byte != 0x0A, byte != 0x0D else { return nil }
        if column > Self.maxColumn {
            return issue("nested too deeply (a value starts past column \(Self.maxColumn))")
        }
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: "*"):
            return issue("anchors and aliases (& and *) are not accepted in a policy; write each value out")
        case UInt8(ascii: "-") where Self.isBlank(at(1)), UInt8(ascii: "?") where Self.isBlank(at(1)):
            index += 1
            return nodeStart()
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            flowDepth += 1
            guard flowDepth <= Self.maxFlowDepth else { return issue("nested too deeply (more than \(Self.maxFlowDepth) levels of [ ] or { })") }
            index += 1
            return nodeStart()
        case UInt8(ascii: "!"):
            // A tag may come before an anchor: `!!str &a value`.
            while !Self.isBlank(at()) { index += 1 }
            return nodeStart()
        case UInt8(ascii: "|") where flowDepth == 0, UInt8(ascii: ">") where flowDepth == 0:
            var indent = 0
            while bytes[lineStart + indent] == 0x20 { indent += 1 }
            blockScalarIndent = indent
            while let next = at(), next != 0x0A { index += 1 }
            return nil
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            return skipQuoted(byte)
        default:
            return nil
        }
    }

    /// Skips a quoted scalar, which may span lines; `\` escapes only in double quotes, `''` in single.
    private mutating func skipQuoted(_ quote: UInt8) -> PolicyIssue? {
        let startLine = line
        index += 1
        while let byte = at() {
            if byte == 0x0A {
                newLine()
                continue
            }
            if quote == UInt8(ascii: "\""), byte == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            index += 1
            if byte == quote {
                if quote == UInt8(ascii: "'"), at() == quote {
                    index += 1
                    continue
                }
                return nil
            }
        }
        return PolicyIssue(line: startLine, column: 1, field: "(document)", message: "a quoted value is never closed")
    }
}
