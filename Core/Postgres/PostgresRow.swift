/// One row of a ``PostgresResult``: raw text per column, decoded on demand into Swift types.
///
/// ```swift
/// for row in try connection.query("SELECT id, name, deleted_at FROM tenants") {
///     let id = try row.decode(UUID.self, column: "id")
///     let deletedAt = try row.decode(Date?.self, column: "deleted_at")   // NULL -> nil
/// }
/// ```
public struct PostgresRow: Sendable {
    /// Column names and a name-to-index map, shared by all rows of a result.
    struct Columns: Sendable {
        let names: [String]
        let indexByName: [String: Int]

        init(names: [String]) {
            self.names = names
            var index = [String: Int]()
            for (position, name) in names.enumerated() where index[name] == nil { index[name] = position }
            self.indexByName = index
        }
    }

    private let columns: Columns
    private let values: [String?]

    init(columns: Columns, values: [String?]) {
        self.columns = columns
        self.values = values
    }

    /// Column names in order; a repeated name is reachable by name only at its first position.
    public var columnNames: [String] { columns.names }

    /// The raw text of a column, nil for SQL NULL.
    /// - Parameter index: Zero-based column position.
    public subscript(index: Int) -> String? { values[index] }

    /// Decodes the named column.
    /// - Parameters:
    ///   - type: The Swift type wanted; use an Optional (`String?.self`) when the column may be NULL.
    ///   - column: The column's name as the statement labelled it.
    /// - Throws: ``PostgresError`` with code `decoding` naming the column and type when the column is
    ///   missing, is NULL for a non-optional type, or holds text the type cannot parse.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, column: String) throws -> T {
        guard let index = columns.indexByName[column] else {
            throw PostgresError.decoding(
                column: column, expected: T.self,
                reason: "no such column; the result has \(columns.names.joined(separator: ", "))")
        }
        return try decode(T.self, at: index, name: column)
    }

    /// Decodes the column at a position.
    /// - Parameters:
    ///   - type: The Swift type wanted; use an Optional when the column may be NULL.
    ///   - index: Zero-based column position.
    /// - Throws: ``PostgresError`` with code `decoding`, as ``decode(_:column:)``.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, at index: Int) throws -> T {
        guard values.indices.contains(index) else {
            throw PostgresError.decoding(
                column: "#\(index)", expected: T.self, reason: "the result has only \(values.count) columns")
        }
        return try decode(T.self, at: index, name: columns.names[index])
    }

    private func decode<T: PostgresDecodable>(_ type: T.Type, at index: Int, name: String) throws -> T {
        guard let text = values[index] else {
            guard let null = T.postgresNull else {
                throw PostgresError.decoding(
                    column: name, expected: T.self, reason: "it is NULL; decode an Optional to allow NULL")
            }
            return null
        }
        guard let value = T(postgresText: text) else {
            throw PostgresError.decoding(
                column: name, expected: T.self, reason: "its text is not a valid \(String(describing: T.self))",
                value: text)
        }
        return value
    }
}
