import CLibPQ

extension PostgresConnection {
    /// Runs `statements` in order in one round trip (libpq's pipeline mode) and returns each
    /// one's result.
    ///
    /// Statements that do not depend on each other's results need not wait for each other's
    /// answer: a transaction of `BEGIN`, a tenant's `set_config`, a statement and `COMMIT` costs
    /// one round trip instead of four. Without a `BEGIN` of their own they run in one implicit
    /// transaction. The first statement that fails stops the rest, which are skipped; its error
    /// is thrown, and a transaction block it broke is rolled back, so the connection is ready for
    /// the next caller.
    /// - Throws: ``PostgresError`` of the first failing statement; `connectionLost` when the
    ///   connection broke (it is then closed, and the pool opens another).
    public func pipeline(_ statements: [SQL]) throws -> [PostgresResult] {
        if statements.count == 1 { return [try query(statements[0])] }
        if statements.isEmpty { return [] }
        let handle = try liveHandle()
        guard PQenterPipelineMode(handle) == 1 else { throw failure(result: nil, query: statements[0].text) }
        let results: [PostgresResult]
        let firstError: PostgresError?
        do {
            for sql in statements {
                let sent = try withParameters(of: sql) { count, values, lengths, formats in
                    PQsendQueryParams(handle, sql.text, count, nil, values, lengths, formats, 0)
                }
                guard sent == 1 else { throw failure(result: nil, query: sql.text) }
            }
            guard PQpipelineSync(handle) == 1 else { throw failure(result: nil, query: statements[0].text) }
            (results, firstError) = try pipelineResults(statements, on: handle)
            guard PQexitPipelineMode(handle) == 1 else { throw failure(result: nil, query: statements[0].text) }
        } catch {
            // Out of step with the server (or still in pipeline mode): nothing later could trust
            // what it reads on this connection.
            close()
            throw error
        }
        if let firstError {
            // The pipeline ended cleanly; only a transaction block the failure broke is left.
            if PQtransactionStatus(handle) != PQTRANS_IDLE { _ = try? simpleQuery("ROLLBACK") }
            throw firstError
        }
        return results
    }

    /// Reads one result (and the end marker) per statement, then the pipeline's sync point.
    /// Returns the results in order (an empty one for a statement skipped after a failure) and
    /// the first failure.
    private func pipelineResults(_ statements: [SQL], on handle: OpaquePointer) throws -> ([PostgresResult], PostgresError?) {
        var results: [PostgresResult] = []
        results.reserveCapacity(statements.count)
        var firstError: PostgresError?
        for sql in statements {
            var result: PostgresResult?
            while let raw = PQgetResult(handle) {
                defer { PQclear(raw) }
                switch PQresultStatus(raw) {
                case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
                    result = PostgresResult(copying: raw)
                case PGRES_PIPELINE_ABORTED:
                    result = PostgresResult.empty
                default:
                    let error = failure(result: raw, query: sql.text)
                    if error.code != .server { throw error }
                    firstError = firstError ?? error
                    result = PostgresResult.empty
                }
            }
            guard let result else {
                throw PostgresError(
                    code: .connectionLost,
                    message: "lost the connection to PostgreSQL at \(configuration.address) in a pipeline: \(Self.errorMessage(of: handle))",
                    query: sql.text)
            }
            results.append(result)
        }
        guard let sync = PQgetResult(handle) else {
            throw PostgresError(
                code: .connectionLost, message: "lost the connection to PostgreSQL at \(configuration.address) before a pipeline's end")
        }
        defer { PQclear(sync) }
        guard PQresultStatus(sync) == PGRES_PIPELINE_SYNC else {
            throw PostgresError(code: .connectionLost, message: "a pipeline to PostgreSQL at \(configuration.address) ended out of step")
        }
        return (results, firstError)
    }
}
