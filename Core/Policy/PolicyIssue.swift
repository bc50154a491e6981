/// One problem in a policy document, located so a person can fix it: line, column and field.
public struct PolicyIssue: Sendable, Equatable, CustomStringConvertible {
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int
    /// The field's path (`chains.chat[1].provider`).
    public var field: String
    /// What is wrong and what is expected.
    public var message: String

    public var description: String { "line \(line), column \(column): \(field): \(message)" }
}

/// A policy was refused; `issues` lists every problem found, in document order.
public struct PolicyValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Every problem found.
    public var issues: [PolicyIssue]

    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
