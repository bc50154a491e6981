extension PostgresConnection {
    /// Runs `body` inside `BEGIN` ... `COMMIT`, rolling back when it throws.
    ///
    /// If `body` caught a failed statement and carried on, PostgreSQL has already aborted the transaction;
    /// this rolls back and throws SQLSTATE 25P02 rather than pretending the commit succeeded.
    /// - Parameters:
    ///   - opening: Statements sent with `BEGIN` in the same round trip (a tenant's `set_config`).
    ///   - body: The work, on this connection; its result is returned after the commit.
    /// - Throws: What `body` throws (after `ROLLBACK`), or ``PostgresError`` from `BEGIN` / `COMMIT`.
    public func withTransaction<T>(opening: [SQL] = [], _ body: (PostgresConnection) throws -> T) throws -> T {
        _ = try pipeline(["BEGIN"] + opening)
        let value: T
        do {
            value = try body(self)
        } catch {
            if isHealthy { _ = try? simpleQuery("ROLLBACK") }
            throw error
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
}
