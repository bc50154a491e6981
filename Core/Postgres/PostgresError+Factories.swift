extension PostgresError {
    /// The pool has been closed; returned to every caller that leases after `close()`.
    public static let poolClosed = PostgresError(
        code: .poolClosed,
        message: "the PostgreSQL pool is closed; no more queries can run through it"
    )

    /// A database URL was refused; `problem` names what is wrong and never repeats the password.
    /// - Parameter problem: What is wrong with the URL, e.g. "invalid port 'abc'".
    public static func invalidURL(_ problem: String) -> PostgresError {
        PostgresError(
            code: .invalidURL,
            message: "invalid PostgreSQL URL: \(problem); expected postgres://user:password@host:5432/database"
        )
    }

    /// Opening a connection failed.
    /// - Parameters:
    ///   - address: `host:port/database`, never the user's password.
    ///   - reason: libpq's explanation (from `PQerrorMessage`, which never includes the password).
    public static func connectionFailed(address: String, reason: String) -> PostgresError {
        PostgresError(
            code: .connectionFailed,
            message: "could not connect to PostgreSQL at \(address): \(reason); is it running? set LEOPOST_DATABASE_URL"
        )
    }

    /// Opening a connection took longer than the configured connect timeout.
    /// - Parameters:
    ///   - address: `host:port/database`.
    ///   - seconds: The timeout that expired.
    public static func connectTimeout(address: String, seconds: Int) -> PostgresError {
        PostgresError(
            code: .timeout,
            message: "timed out after \(seconds) s connecting to PostgreSQL at \(address); is it reachable? set LEOPOST_DATABASE_URL"
        )
    }

    /// Every connection of the pool stayed busy for the whole wait.
    /// - Parameters:
    ///   - address: `host:port/database`.
    ///   - seconds: how long the caller waited.
    ///   - connections: the pool's size.
    public static func poolWaitTimeout(address: String, seconds: Int, connections: Int) -> PostgresError {
        PostgresError(
            code: .timeout,
            message:
                "no PostgreSQL connection to \(address) came free within \(seconds) s (all \(connections) busy): queries are slow, or the pool is too small for the load"
        )
    }

    /// A column could not be decoded as the requested Swift type.
    /// - Parameters:
    ///   - column: The column's name (or `#index` when unnamed).
    ///   - expected: The Swift type asked for.
    ///   - reason: Why, without the value itself (it may be private data).
    ///   - value: The raw text, shown only in `debugDescription`.
    static func decoding(column: String, expected: Any.Type, reason: String, value: String? = nil) -> PostgresError {
        PostgresError(
            code: .decoding,
            message: "cannot decode column \"\(column)\" as \(String(describing: expected)): \(reason)",
            detail: value.map { "value: \(String($0.prefix(200)))" }
        )
    }
}
