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
