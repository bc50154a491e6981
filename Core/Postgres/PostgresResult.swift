import CLibPQ

/// The rows of one statement, copied out of libpq's `PGresult` (which is freed before this is returned).
///
/// A plain value: keep it, send it across tasks, iterate it as a collection of ``PostgresRow``.
public struct PostgresResult: Sendable, RandomAccessCollection {
    /// Column names in order, as the statement labelled them.
    public let columnNames: [String]
    /// Rows inserted, updated, deleted, selected, ... as the server counted (`PQcmdTuples`); 0 when it did not say.
    public let rowsAffected: Int
    /// The server's command tag, e.g. `INSERT 0 1` or `SELECT 3`.
    public let commandTag: String
    private let columns: PostgresRow.Columns
    private let values: [[String?]]

    /// Builds a result from already-copied values; used by tests and by ``PostgresConnection``.
    init(columnNames: [String], values: [[String?]], rowsAffected: Int, commandTag: String) {
        self.columnNames = columnNames
        self.columns = PostgresRow.Columns(names: columnNames)
        self.values = values
        self.rowsAffected = rowsAffected
        self.commandTag = commandTag
    }

    /// No rows, no columns: what a statement skipped in a failed pipeline leaves.
    static let empty = PostgresResult(columnNames: [], values: [], rowsAffected: 0, commandTag: "")

    /// Copies every cell, name and count out of `result`; the caller still owns and clears it.
    init(copying result: OpaquePointer) {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        let names = (0..<columnCount).map { column in
            PQfname(result, Int32(column)).map { String(cString: $0) } ?? "#\(column)"
        }
        var rows = [[String?]]()
        rows.reserveCapacity(rowCount)
        for row in 0..<Int32(rowCount) {
            rows.append(
                (0..<Int32(columnCount)).map { column in
                    if PQgetisnull(result, row, column) == 1 { return nil }
                    return PQgetvalue(result, row, column).map { String(cString: $0) } ?? ""
                })
        }
        let tuples = PQcmdTuples(result).map { String(cString: $0) } ?? ""
        let tag = PQcmdStatus(result).map { String(cString: $0) } ?? ""
        self.init(columnNames: names, values: rows, rowsAffected: Int(tuples) ?? 0, commandTag: tag)
    }

    /// The index of the first row.
    public var startIndex: Int { values.startIndex }
    /// One past the index of the last row.
    public var endIndex: Int { values.endIndex }

    /// The row at `position`.
    public subscript(position: Int) -> PostgresRow {
        PostgresRow(columns: columns, values: values[position])
    }

    /// The only row, or nil when there is none; for `SELECT ... WHERE id = $1` style lookups.
    public var singleRow: PostgresRow? { values.count == 1 ? self[0] : nil }
}
