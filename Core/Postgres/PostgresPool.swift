public import Logging
import NIOPosix
public import ServiceLifecycle
import Synchronization

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
    /// What a caller is allowed to do once it leaves the queue.
    enum Grant: Sendable {
        case use(PostgresConnection)
        case open
    }

    typealias Waiter = CheckedContinuation<Grant, any Error>

    private struct State {
        var machine: PostgresPoolStateMachine<PostgresConnection, Waiter>
        var nextWaiterID = 0
        var runStarted = false
        var shutdownRequested = false
        var runWaiter: CheckedContinuation<Void, Never>?
    }

    /// The configuration every connection is opened with.
    public let configuration: PostgresConfiguration
    let logger: Logger
    private let threadPool: NIOThreadPool
    private let state: Mutex<State>

    /// Creates the pool and starts its worker threads; connections are opened lazily, on first use.
    /// - Parameters:
    ///   - configuration: Server address, credentials, `maxConnections`, `role`.
    ///   - logger: Receives reconnects (info) and connection events (debug).
    public init(configuration: PostgresConfiguration, logger: Logger) {
        precondition(configuration.maxConnections > 0, "maxConnections must be at least 1")
        self.configuration = configuration
        self.logger = logger
        self.state = Mutex(State(machine: PostgresPoolStateMachine(maxConnections: configuration.maxConnections)))
        self.threadPool = NIOThreadPool(numberOfThreads: configuration.maxConnections)
        self.threadPool.start()
    }

    /// A safety net for a pool dropped without ``close()``: stops the worker threads without waiting
    /// (idle connections close as they are released).
    deinit {
        threadPool.shutdownGracefully { _ in }
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
        let grant = try await lease()
        return try await withCheckedThrowingContinuation { continuation in
            threadPool.submit { workState in
                guard case .active = workState else {
                    self.abandon(grant)
                    continuation.resume(throwing: PostgresError.poolClosed)
                    return
                }
                continuation.resume(with: Result { try self.runLeased(grant, body) })
            }
        }
    }

    /// Waits until graceful shutdown (or cancellation, or ``close()``), then closes the pool.
    /// Put the pool before its users in a `ServiceGroup` so it shuts down after them.
    public func run() async throws {
        state.withLock { state in
            precondition(!state.runStarted, "PostgresPool.run() may be called only once")
            state.runStarted = true
        }
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let resumeNow = state.withLock { state in
                        if state.shutdownRequested { return true }
                        state.runWaiter = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            } onGracefulShutdown: {
                self.requestShutdown()
            }
        } onCancel: {
            self.requestShutdown()
        }
        await close()
    }

    /// Closes the pool: waiting callers get `poolClosed`, idle connections close now, connections in
    /// use close when their work finishes, then the worker threads stop. Later calls throw `poolClosed`.
    public func close() async {
        let (close, runWaiter) = state.withLock { state in
            state.shutdownRequested = true
            defer { state.runWaiter = nil }
            return (state.machine.close(), state.runWaiter)
        }
        runWaiter?.resume()
        for waiter in close.waiters { waiter.resume(throwing: PostgresError.poolClosed) }
        let idle = close.idle
        if !idle.isEmpty {
            _ = try? await threadPool.runIfActive { idle.forEach { $0.close() } }
        }
        try? await threadPool.shutdownGracefully()
        logger.debug("PostgreSQL pool closed", metadata: [PostgresLogKey.address: "\(configuration.address)"])
    }

    private func requestShutdown() {
        let waiter = state.withLock { state in
            state.shutdownRequested = true
            defer { state.runWaiter = nil }
            return state.runWaiter
        }
        waiter?.resume()
    }

    /// Takes an idle connection, a slot to open one in, or a place in the queue.
    private func lease() async throws -> Grant {
        let id = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: Waiter) in
                let action = state.withLock { state in
                    Task.isCancelled ? nil : state.machine.lease(id: id, waiter: continuation)
                }
                switch action {
                case nil: continuation.resume(throwing: CancellationError())
                case .useIdle(let connection): continuation.resume(returning: .use(connection))
                case .open: continuation.resume(returning: .open)
                case .wait: break
                case .failClosed: continuation.resume(throwing: PostgresError.poolClosed)
                }
            }
        } onCancel: {
            state.withLock { $0.machine.cancelWaiter(id: id) }?.resume(throwing: CancellationError())
        }
    }

    /// On a pool thread: gets a live connection for the grant, runs `body`, gives the connection back.
    private func runLeased<T>(_ grant: Grant, _ body: (PostgresConnection) throws -> T) throws -> T {
        let connection = try liveConnection(for: grant)
        defer { release(connection) }
        return try body(connection)
    }

    /// Reuses an idle connection if it is still alive, otherwise opens a new one in the same slot.
    private func liveConnection(for grant: Grant) throws -> PostgresConnection {
        if case .use(let idle) = grant {
            if idle.checkAlive() { return idle }
            logger.info("Dropping a broken idle PostgreSQL connection", metadata: [PostgresLogKey.address: "\(configuration.address)"])
            idle.close()
        }
        do {
            return try PostgresConnection.connect(configuration, logger: logger)
        } catch {
            state.withLock { $0.machine.openFailed() }?.resume(returning: .open)
            throw error
        }
    }

    private func release(_ connection: PostgresConnection) {
        let reusable = connection.prepareForReuse()
        switch state.withLock({ $0.machine.release(connection, reusable: reusable) }) {
        case .keepIdle:
            break
        case .resumeWaiter(let waiter, let connection):
            waiter.resume(returning: .use(connection))
        case .discard(let waiter):
            if !reusable {
                logger.info("Dropping a broken PostgreSQL connection", metadata: [PostgresLogKey.address: "\(configuration.address)"])
            }
            connection.close()
            waiter?.resume(returning: .open)
        }
    }

    /// The thread pool refused the work (it is shutting down): give the grant back unused.
    private func abandon(_ grant: Grant) {
        switch grant {
        case .use(let connection): release(connection)
        case .open: state.withLock { $0.machine.openFailed() }?.resume(returning: .open)
        }
    }
}
