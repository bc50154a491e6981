extension PostgresConnection {
    /// Runs `body` inside `BEGIN` ... `COMMIT`, rolling back when it throws.
    ///
    /// `BEGIN` and `opening` are not sent on their own: they go out with the body's first
    /// statement, in one round trip, so a transaction of one statement costs two round trips (the
    /// statement, `COMMIT`). A body that runs no statement sends nothing at all.
    ///
    /// If `body` caught a failed statement and carried on, PostgreSQL has already aborted the transaction;
    /// this rolls back and throws SQLSTATE 25P02 rather than pretending the commit succeeded.
    /// - Parameters:
    ///   - opening: Statements that open the transaction after `BEGIN` (a tenant's `set_config`).
    ///   - body: The work, on this connection; its result is returned after the commit.
    /// - Throws: What `body` throws (after `ROLLBACK`), or ``PostgresError`` from `BEGIN` / `COMMIT`.
    public func withTransaction<T>(opening: [SQL] = [], _ body: (PostgresConnection) throws -> T) throws -> T {
        try flushDeferredOpening()
        deferredOpening = ["BEGIN"] + opening
        let value: T
        do {
            value = try body(self)
        } catch {
            if !deferredOpening.isEmpty {
                deferredOpening = []
            } else if isHealthy {
                _ = try? simpleQuery("ROLLBACK")
            }
            throw error
        }
        if !deferredOpening.isEmpty {
            deferredOpening = []
            return value
        }
        if isInFailedTransaction {
            _ = try? simpleQuery("ROLLBACK")
            throw PostgresError(
                code: .server,
                message: "the transaction was rolled back: a statement inside it failed and its error was caught",
                sqlState: "25P02")
        }
        try simpleQuery("COMMIT")
        return value
    }

    /// Sends a transaction's deferred opening now, for work that cannot carry it (a script).
    func flushDeferredOpening() throws {
        if !deferredOpening.isEmpty { _ = try pipeline([]) }
    }
}
