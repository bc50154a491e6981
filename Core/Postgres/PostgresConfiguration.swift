/// Where and how to reach PostgreSQL, and how many connections a pool may hold.
///
/// Usually built from `LEOPOST_DATABASE_URL` with ``init(url:)``; every field can be set afterwards.
/// The password is never printed: `description` masks it.
public struct PostgresConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// Host name, IP address, or a directory holding a Unix socket (starting with `/`).
    public var host: String
    /// TCP port (PostgreSQL's default is 5432).
    public var port: Int
    /// The login role.
    public var user: String
    /// The password, if the server asks for one; never logged or shown in errors.
    public var password: String?
    /// The database to open.
    public var database: String
    /// libpq's `sslmode` (`disable`, `allow`, `prefer`, `require`, `verify-ca`, `verify-full`); nil keeps libpq's default.
    public var sslMode: String?
    /// Shown in `pg_stat_activity.application_name`, which helps tell Leopost's connections apart.
    public var applicationName: String?
    /// The most connections a ``PostgresPool`` opens; also its number of worker threads.
    public var maxConnections: Int = 10
    /// How long opening one connection may take (libpq rounds up to whole seconds, at least 2).
    public var connectTimeout: Duration = .seconds(10)
    /// When set, every new connection runs `SET ROLE <role>` right after connecting, so the server acts as a
    /// role that owns no table and row-level security applies to it even when `user` owns the schema.
    public var role: String?
    /// How many statements each connection keeps prepared (see `PostgresStatementCache`); 0
    /// prepares none, for a PgBouncer older than 1.21 in transaction mode, which cannot follow
    /// a prepared statement from one server connection to the next. URL: `statement_cache_capacity`.
    public var statementCacheCapacity: Int = 256
    /// How long one statement may run before the server cancels it (SQLSTATE 57014, an outage the
    /// caller retries); `nil` for no limit, as migrations want. A query that hangs (a lock never
    /// released) must not hold a connection and a job forever.
    public var statementTimeout: Duration? = .seconds(30)
    /// How long a session may sit inside a transaction doing nothing before the server ends it,
    /// releasing its locks: a client that vanished mid-transaction holds nothing for long.
    public var idleInTransactionTimeout: Duration? = .seconds(60)
    /// How long a caller waits for a connection when every one is busy; `nil` for no limit. Fails
    /// with a `timeout` error (an outage: 503, or a retried job), not a wait that never ends.
    public var poolWaitTimeout: Duration? = .seconds(10)
    /// TCP keepalives and `tcp_user_timeout` on every TCP connection (libpq ignores them on Unix
    /// sockets): a server that vanished without closing the socket (a crashed host, a dropped
    /// route) is noticed within about this long, instead of a read that waits forever.
    public var deadPeerTimeout: Duration = .seconds(30)

    /// Creates a configuration from its parts.
    /// - Parameters:
    ///   - host: Host name or address.
    ///   - port: TCP port.
    ///   - user: Login role.
    ///   - password: Password, if any.
    ///   - database: Database name.
    public init(host: String, port: Int = 5432, user: String, password: String? = nil, database: String) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
    }

    /// `host:port/database`: how errors and logs name this server (no user, no password).
    public var address: String { "\(host):\(port)/\(database)" }

    /// The URL form with the password masked, safe for logs.
    public var description: String {
        let secret = password == nil ? "" : ":***"
        return "postgres://\(user)\(secret)@\(address)"
    }

    /// Keyword/value pairs for `PQconnectdbParams`: each value travels separately, so no user data is
    /// ever spliced into a conninfo string. Sessions start in UTC with ISO dates and hex bytea so the
    /// text decoders see one stable format.
    var connectionParameters: [(keyword: String, value: String)] {
        var parameters: [(keyword: String, value: String)] = [
            ("host", host),
            ("port", String(port)),
            ("user", user),
            ("dbname", database),
            ("client_encoding", "UTF8"),
            // Every execution of a prepared statement is planned for its values (see `PostgresStatementCache`).
            ("options", sessionOptions),
            ("connect_timeout", String(connectTimeoutSeconds)),
        ]
        // Probes after a third of the dead-peer time idle, then every sixth, three unanswered ones
        // end the connection; unacknowledged writes end it after the whole time.
        let idle = max(1, Int(deadPeerTimeout.components.seconds) / 3)
        parameters += [
            ("keepalives", "1"), ("keepalives_idle", String(idle)), ("keepalives_interval", String(max(1, idle / 2))),
            ("keepalives_count", "3"), ("tcp_user_timeout", String(deadPeerTimeout.milliseconds)),
        ]
        if let password { parameters.append(("password", password)) }
        if let sslMode { parameters.append(("sslmode", sslMode)) }
        if let applicationName { parameters.append(("application_name", applicationName)) }
        return parameters
    }

    /// The session settings every connection starts with.
    var sessionOptions: String {
        var options = "-c TimeZone=UTC -c DateStyle=ISO -c bytea_output=hex -c plan_cache_mode=force_custom_plan"
        if let statementTimeout { options += " -c statement_timeout=\(max(1, statementTimeout.milliseconds))" }
        if let idleInTransactionTimeout { options += " -c idle_in_transaction_session_timeout=\(max(1, idleInTransactionTimeout.milliseconds))" }
        return options
    }

    /// The connect timeout in whole seconds as libpq wants it (rounded up, at least 2).
    var connectTimeoutSeconds: Int {
        let (seconds, attoseconds) = connectTimeout.components
        return max(2, Int(seconds) + (attoseconds > 0 ? 1 : 0))
    }
}
