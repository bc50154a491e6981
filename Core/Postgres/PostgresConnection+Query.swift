import CLibPQ
import Foundation
import Logging

extension PostgresConnection {
    /// Runs one parameterized statement and returns its rows, copied out.
    ///
    /// The statement is prepared on its first use on this connection (prepare and execute go
    /// out together, in one round trip) and only bound and executed after that (`PQexecPrepared`);
    /// see `PostgresStatementCache`. Parameters go as text (bytea as binary) with their types left
    /// to the server; results come back as text and are decoded by ``PostgresRow``. Add casts
    /// where the server cannot infer: `\(id)::uuid`.
    /// - Parameter sql: The statement and its binds.
    /// - Throws: ``PostgresError``: `server` with the SQLSTATE, or `connectionLost` when the connection broke.
    public func query(_ sql: SQL) throws -> PostgresResult {
        if !deferredOpening.isEmpty || statements.shouldPrepare(sql.text) { return try pipeline([sql])[0] }
        let handle = try liveHandle()
        let name = statements.name(of: sql.text)
        let result = try withParameters(of: sql) { count, values, lengths, formats in
            if let name { return PQexecPrepared(handle, name, count, values, lengths, formats, 0) }
            return PQexecParams(handle, sql.text, count, nil, values, lengths, formats, 0)
        }
        do {
            return try collect(result, query: sql.text)
        } catch let error as PostgresError {
            statements.forget(sql.text, after: error)
            throw error
        }
    }

    /// Calls `body` with `sql`'s binds as libpq's parameter arrays (text, or binary for bytea),
    /// valid for the call.
    func withParameters<R>(
        of sql: SQL,
        _ body: (Int32, [UnsafePointer<CChar>?], [Int32], [Int32]) throws -> R
    ) throws -> R {
        if sql.binds.contains(where: { if case .text(let text) = $0 { text.utf8.contains(0) } else { false } }) {
            throw PostgresError(
                code: .server,
                message: "a text parameter contains a NUL byte, which PostgreSQL text cannot hold; bind [UInt8] for bytea",
                sqlState: "22021", query: sql.text)
        }
        var values = [UnsafeMutablePointer<CChar>?]()
        var lengths = [Int32]()
        var formats = [Int32]()
        defer { values.forEach { free($0) } }
        for bind in sql.binds {
            switch bind {
            case .null:
                values.append(nil); lengths.append(0); formats.append(0)
            case .text(let text):
                values.append(strdup(text)); lengths.append(0); formats.append(0)
            case .bytea(let bytes):
                let buffer = malloc(max(bytes.count, 1))!.assumingMemoryBound(to: CChar.self)
                bytes.withUnsafeBytes { raw in
                    if let base = raw.baseAddress { memcpy(buffer, base, bytes.count) }
                }
                values.append(buffer); lengths.append(Int32(bytes.count)); formats.append(1)
            }
        }
        return try body(Int32(sql.binds.count), values.map { UnsafePointer($0) }, lengths, formats)
    }

    /// Runs one parameterized statement and returns how many rows it touched (`PQcmdTuples`).
    /// - Parameter sql: An `INSERT`, `UPDATE`, `DELETE`, or any statement; its rows are discarded.
    /// - Throws: ``PostgresError`` as ``query(_:)``.
    @discardableResult
    public func execute(_ sql: SQL) throws -> Int {
        try query(sql).rowsAffected
    }

    /// Runs a script of one or more `;`-separated statements with no parameters (`PQexec`), e.g. a migration.
    ///
    /// The statements run in one implicit transaction unless the script has its own `BEGIN`/`COMMIT`;
    /// the first failing statement stops the script. Returns the last statement's result.
    /// - Parameter text: SQL the code controls; never text built from user input.
    /// - Throws: ``PostgresError`` as ``query(_:)``.
    @discardableResult
    public func simpleQuery(_ text: String) throws -> PostgresResult {
        try flushDeferredOpening()
        let handle = try liveHandle()
        return try collect(PQexec(handle, text), query: text)
    }

    /// Reads whatever the server sent while the connection sat idle and reports whether it is still
    /// usable; the pool runs it before reusing an idle connection. A terminated backend leaves a FATAL
    /// message and then EOF: the first read takes the message, `PQisBusy` parses it (it goes to the notice
    /// log), and the second read meets the EOF, which turns `PQstatus` bad. Never blocks.
    func checkAlive() -> Bool {
        guard let handle, PQstatus(handle) == CONNECTION_OK else { return false }
        for _ in 0..<2 {
            guard PQconsumeInput(handle) == 1 else { return false }
            _ = PQisBusy(handle)
        }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// Makes the connection safe for the next caller: rolls back a transaction left open, and says
    /// false when the connection is broken or busy so the pool drops it instead.
    func prepareForReuse() -> Bool {
        deferredOpening = []
        guard isHealthy, let handle else { return false }
        switch PQtransactionStatus(handle) {
        case PQTRANS_IDLE:
            return true
        case PQTRANS_INTRANS, PQTRANS_INERROR:
            _ = try? simpleQuery("ROLLBACK")
            return isHealthy && PQtransactionStatus(handle) == PQTRANS_IDLE
        default:
            return false
        }
    }

    /// True inside a transaction block whose earlier statement failed (every statement but ROLLBACK now fails).
    var isInFailedTransaction: Bool {
        guard let handle else { return false }
        return PQtransactionStatus(handle) == PQTRANS_INERROR
    }

    func liveHandle() throws -> OpaquePointer {
        guard let handle else {
            throw PostgresError(
                code: .connectionLost, message: "the connection to PostgreSQL at \(configuration.address) is closed")
        }
        return handle
    }

    /// Turns a `PGresult` into rows or an error, clearing it either way.
    func collect(_ result: OpaquePointer?, query: String) throws -> PostgresResult {
        guard let result else { throw failure(result: nil, query: query) }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return PostgresResult(copying: result)
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            abandonCopy()
            throw PostgresError(
                code: .server, message: "COPY to or from the client is not supported by PostgresConnection", query: query)
        default:
            throw failure(result: result, query: query)
        }
    }

    /// Builds the error for a failed result: `server` with the diagnostic fields, or `connectionLost`
    /// when libpq says the connection itself broke.
    func failure(result: OpaquePointer?, query: String) -> PostgresError {
        func field(_ code: Character) -> String? {
            guard let result, let value = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
            return String(cString: value)
        }
        let sqlState = field("C")
        let primary = field("M") ?? handle.map(Self.errorMessage(of:)) ?? "unknown error"
        if !isHealthy {
            logger.info("PostgreSQL connection lost", metadata: [LogKey.postgresAddress: "\(configuration.address)"])
            return PostgresError(
                code: .connectionLost,
                message: "lost the connection to PostgreSQL at \(configuration.address): \(primary)",
                sqlState: sqlState, detail: field("D"), hint: field("H"), query: query)
        }
        return PostgresError(
            code: .server, message: primary, sqlState: sqlState, detail: field("D"), hint: field("H"), query: query)
    }

    /// Leaves a COPY the caller started so the connection can take the next statement.
    private func abandonCopy() {
        guard let handle else { return }
        _ = PQputCopyEnd(handle, "COPY is not supported by Leopost's PostgresConnection")
        var buffer: UnsafeMutablePointer<CChar>?
        while PQgetCopyData(handle, &buffer, 0) > 0 { PQfreemem(buffer) }
        while let next = PQgetResult(handle) { PQclear(next) }
    }
}
