public import Foundation

/// Reads a tool call's arguments field by field, with errors that name the field and say what
/// was expected, so the model can correct the call. Fields the tool does not know are refused
/// too: a misspelled `schedule_at` silently ignored would publish at the wrong time.
public struct ToolArguments: Sendable {
    /// The arguments as the model gave them.
    public let fields: [String: JSONValue]

    /// Checks that only `known` fields are present.
    /// - Throws: ``ToolError`` `.invalidArguments` naming the unknown ones.
    public init(_ fields: [String: JSONValue], known: Set<String>) throws {
        let unknown = fields.keys.filter { !known.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw ToolError(
                .invalidArguments,
                "unknown argument\(unknown.count == 1 ? "" : "s") \(unknown.joined(separator: ", ")); this tool takes \(known.sorted().joined(separator: ", "))"
            )
        }
        self.fields = fields
    }

    /// A string field; `nil` when absent (or `null`) and not required.
    public func string(_ name: String, required: Bool = false) throws -> String? {
        switch fields[name] {
        case .string(let text): return text
        case nil, .null?:
            if required { throw ToolError(.invalidArguments, "\(name) is required") }
            return nil
        default: throw ToolError(.invalidArguments, "\(name) must be a string")
        }
    }

    /// An array of strings; `nil` when absent and not required.
    public func strings(_ name: String, required: Bool = false) throws -> [String]? {
        switch fields[name] {
        case .array(let items):
            return try items.map { item in
                guard case .string(let text) = item else { throw ToolError(.invalidArguments, "\(name) must be an array of strings") }
                return text
            }
        case .string(let one): return [one]  // a model that means one platform often says it plainly
        case nil, .null?:
            if required { throw ToolError(.invalidArguments, "\(name) is required") }
            return nil
        default: throw ToolError(.invalidArguments, "\(name) must be an array of strings")
        }
    }

    /// A time, as ISO 8601 with an explicit offset (`2026-12-03T10:00:00+01:00`): a time without
    /// one is refused, since guessing its zone is exactly the mistake the offset prevents.
    public func date(_ name: String, in zone: TimeZone, now: Date) throws -> Date? {
        guard let text = try string(name), !text.isEmpty else { return nil }
        guard let date = LocalTime.parse(text) else {
            throw ToolError(
                .invalidArguments,
                "\(name) must be ISO 8601 with an offset, like \(LocalTime.iso(now.addingTimeInterval(3600), in: zone)) "
                    + "(the person's time zone is \(LocalTime.name(of: zone)))")
        }
        return date
    }
}
