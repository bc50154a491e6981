extension PostgresError {
    /// True for SQLSTATE 23505: an insert or update hit a unique constraint (often "already exists").
    public var isUniqueViolation: Bool { sqlState == "23505" }
    /// True for SQLSTATE 23503: a row referenced by a foreign key is missing or still referenced.
    public var isForeignKeyViolation: Bool { sqlState == "23503" }
    /// True for SQLSTATE 23502: a NOT NULL column was given NULL.
    public var isNotNullViolation: Bool { sqlState == "23502" }
    /// True for SQLSTATE 23514: a CHECK constraint refused the row.
    public var isCheckViolation: Bool { sqlState == "23514" }
    /// True for SQLSTATE 42501: the role lacks a privilege, or row-level security refused the row.
    public var isInsufficientPrivilege: Bool { sqlState == "42501" }
    /// True for SQLSTATE 40001 or 40P01: the transaction lost a race and may simply be retried.
    public var isRetryableTransactionFailure: Bool { sqlState == "40001" || sqlState == "40P01" }
}

extension PostgresError {
    /// True when PostgreSQL could not take the work just now and the same request may succeed
    /// later: no connection (down, restarting, out of slots), a connection lost mid-call, no answer
    /// in time, or a server-side refusal of that kind (SQLSTATE class 08; 57P01–57P03, the server
    /// shutting down or starting; 53300, too many connections; 57014, a statement cancelled by its
    /// timeout; a lost serialization race). Callers
    /// answer it with 503 and `Retry-After`, never 500: nothing is wrong with the request.
    public var isOutage: Bool {
        if [.connectionFailed, .connectionLost, .timeout, .poolClosed].contains(code) { return true }
        guard let sqlState else { return false }
        return sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300", "57014"].contains(sqlState) || isRetryableTransactionFailure
    }
}
