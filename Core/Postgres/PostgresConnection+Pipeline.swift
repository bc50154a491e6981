import CLibPQ

extension PostgresConnection {
    /// Runs `statements` in order in one round trip (libpq's pipeline mode) and returns each
    /// one's result.
    ///
    /// Statements that do not depend on each other's results need not wait for each other's
    /// answer: a transaction of `BEGIN`, a tenant's `set_config`, a statement and `COMMIT` costs
    /// one round trip instead of four. A statement new to this connection is prepared in the same
    /// round trip, just before it runs. Without a `BEGIN` of their own they run in one implicit
    /// transaction. The first statement that fails stops the rest, which are skipped; its error
    /// is thrown. A transaction block the pipeline opened and the failure broke is rolled back,
    /// so the connection is ready for the next caller; one the caller had open (or whose opening
    /// ``withTransaction(opening:_:)`` deferred to this round trip) stays failed, as after
    /// ``query(_:)``, for the caller's own rollback.
    /// - Throws: ``PostgresError`` of the first failing statement; `connectionLost` when the
    ///   connection broke (it is then closed, and the pool opens another).
    public func pipeline(_ statements: [SQL]) throws -> [PostgresResult] {
        // A transaction's deferred opening goes first, in the same round trip.
        let opening = deferredOpening
        deferredOpening = []
        let all = opening + statements
        if all.isEmpty { return [] }
        if all.count == 1, !self.statements.shouldPrepare(all[0].text) { return [try query(all[0])] }
        let handle = try liveHandle()
        let ownsTransaction = opening.isEmpty && PQtransactionStatus(handle) == PQTRANS_IDLE
        guard PQenterPipelineMode(handle) == 1 else { throw failure(result: nil, query: all[0].text) }
        let results: [PostgresResult]
        let firstError: PostgresError?
        do {
            var preparedHere: [String: String] = [:]
            let sent = try all.map { try send($0, on: handle, preparedHere: &preparedHere) }
            guard PQpipelineSync(handle) == 1 else { throw failure(result: nil, query: all[0].text) }
            (results, firstError) = try pipelineResults(sent, on: handle)
            guard PQexitPipelineMode(handle) == 1 else { throw failure(result: nil, query: all[0].text) }
        } catch {
            // Out of step with the server (or still in pipeline mode): nothing later could trust
            // what it reads on this connection.
            close()
            throw error
        }
        if let firstError {
            // The pipeline ended cleanly; only a transaction block it opened and the failure broke is left.
            if ownsTransaction, PQtransactionStatus(handle) != PQTRANS_IDLE { _ = try? simpleQuery("ROLLBACK") }
            throw firstError
        }
        return Array(results.dropFirst(opening.count))
    }

    /// A statement sent in a pipeline, and the name it was prepared under just before, if it was.
    private struct SentStatement {
        let sql: SQL
        let preparing: String?
        let isPrepared: Bool
    }

    /// What the server answered to one message of a pipeline.
    private enum PipelineAnswer {
        case done(PostgresResult)
        case failed(PostgresError)
        case skipped
    }

    /// Sends `sql`: bound to its prepared statement, prepared first when it is new and there is
    /// room, unnamed otherwise. A text seen twice in one pipeline is prepared once.
    private func send(_ sql: SQL, on handle: OpaquePointer, preparedHere: inout [String: String]) throws -> SentStatement {
        var name = statements.name(of: sql.text) ?? preparedHere[sql.text]
        var preparing: String?
        if name == nil, statements.shouldPrepare(sql.text) {
            let new = statements.newName()
            guard PQsendPrepare(handle, new, sql.text, Int32(sql.binds.count), nil) == 1 else { throw failure(result: nil, query: sql.text) }
            preparedHere[sql.text] = new
            (name, preparing) = (new, new)
        }
        let sent = try withParameters(of: sql) { count, values, lengths, formats in
            if let name { return PQsendQueryPrepared(handle, name, count, values, lengths, formats, 0) }
            return PQsendQueryParams(handle, sql.text, count, nil, values, lengths, formats, 0)
        }
        guard sent == 1 else { throw failure(result: nil, query: sql.text) }
        return SentStatement(sql: sql, preparing: preparing, isPrepared: name != nil)
    }

    /// Reads the answers of each statement (its prepare's first, when one was sent), then the
    /// pipeline's sync point. Returns the results in order (an empty one for a statement skipped
    /// after a failure) and the first failure.
    private func pipelineResults(_ sent: [SentStatement], on handle: OpaquePointer) throws -> ([PostgresResult], PostgresError?) {
        var results: [PostgresResult] = []
        results.reserveCapacity(sent.count)
        var firstError: PostgresError?
        for statement in sent {
            if let name = statement.preparing {
                switch try answer(to: statement.sql, on: handle) {
                case .done: statements.prepared(statement.sql.text, as: name)
                case .failed(let error): firstError = firstError ?? error
                case .skipped: break
                }
            }
            switch try answer(to: statement.sql, on: handle) {
            case .done(let result):
                results.append(result)
            case .failed(let error):
                if statement.isPrepared { statements.forget(statement.sql.text, after: error) }
                firstError = firstError ?? error
                results.append(.empty)
            case .skipped:
                results.append(.empty)
            }
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

    /// Reads one message's result and its end marker.
    private func answer(to sql: SQL, on handle: OpaquePointer) throws -> PipelineAnswer {
        var answer: PipelineAnswer?
        while let raw = PQgetResult(handle) {
            defer { PQclear(raw) }
            switch PQresultStatus(raw) {
            case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
                answer = .done(PostgresResult(copying: raw))
            case PGRES_PIPELINE_ABORTED:
                answer = .skipped
            default:
                let error = failure(result: raw, query: sql.text)
                if error.code != .server { throw error }
                answer = .failed(error)
            }
        }
        guard let answer else {
            throw PostgresError(
                code: .connectionLost,
                message: "lost the connection to PostgreSQL at \(configuration.address) in a pipeline: \(Self.errorMessage(of: handle))",
                query: sql.text)
        }
        return answer
    }
}
