public import Logging
public import ServiceLifecycle

/// Up to `maxConnections` PostgreSQL connections shared by the whole server, run as a `Service`.
///
/// Each connection serves one caller at a time. libpq blocks, so every call runs on the pool's own
/// `NIOThreadPool` (one thread per connection), never on Swift's cooperative pool. When all connections
/// are busy, callers wait in FIFO order without spinning. A connection found broken (the server restarted,
/// the backend was terminated) is dropped and the next caller opens a fresh one, so the pool recovers
/// by itself once PostgreSQL is back.
///
/// ```swift
/// let pool = PostgresPool(configuration: try PostgresConfiguration(url: url), logger: logger)
/// // in a ServiceGroup, or call `await pool.close()` when done
/// let rows = try await pool.withTenantTransaction(tenantID) { connection in
///     try connection.query("SELECT id FROM messages WHERE status = \(status)")
/// }
/// ```
/// Close it (``close()`` or by ending ``run()``) before it is released: its threads must be stopped.
public final class PostgresPool: Service, Sendable {
    /// The configuration every connection is opened with.
    public let configuration: PostgresConfiguration
    let logger: Logger
    private let pool: BlockingConnectionPool<PostgresConnection>

    /// Creates the pool and starts its worker threads; connections are opened lazily, on first use.
    /// - Parameters:
    ///   - configuration: Server address, credentials, `maxConnections`, `role`.
    ///   - logger: Receives reconnects (info) and connection events (debug).
    public init(configuration: PostgresConfiguration, logger: Logger) {
        precondition(configuration.maxConnections > 0, "maxConnections must be at least 1")
        self.configuration = configuration
        self.logger = logger
        self.pool = BlockingConnectionPool(
            maxConnections: configuration.maxConnections,
            name: "PostgreSQL",
            logger: logger,
            open: { try PostgresConnection.connect(configuration, logger: logger) },
            closedError: { PostgresError.poolClosed },
            waitTimeout: configuration.poolWaitTimeout,
            waitTimeoutError: {
                PostgresError.poolWaitTimeout(
                    address: configuration.address, seconds: Int(configuration.poolWaitTimeout?.components.seconds ?? 0),
                    connections: configuration.maxConnections)
            }
        )
    }

    /// Lends a connection to `body`, which runs on a pool thread and may block.
    ///
    /// Do not keep the connection after `body` returns. A transaction left open is rolled back when the
    /// connection comes back; a broken connection is dropped.
    /// - Parameter body: Blocking work with the connection; its result is returned.
    /// - Throws: What `body` throws, ``PostgresError`` `connectionFailed` when no connection could be
    ///   opened, `poolClosed` after ``close()``, or `CancellationError` if cancelled while waiting.
    public func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        try await pool.withConnection(body)
    }

    /// Waits until graceful shutdown (or cancellation), then closes the pool.
    /// Put the pool before its users in a `ServiceGroup` so it shuts down after them.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }

    /// Closes the pool: waiting callers get `poolClosed`, idle connections close now, connections in
    /// use close when their work finishes, then the worker threads stop. Later calls throw `poolClosed`.
    public func close() async {
        await pool.close()
        logger.debug("PostgreSQL pool closed", metadata: [LogKey.postgresAddress: "\(configuration.address)"])
    }
}

// One owner at a time is guaranteed by `BlockingConnectionPool`'s leases.
extension PostgresConnection: BlockingPoolConnection {}
