import Logging
import NIOPosix
import Synchronization

/// A connection a `BlockingConnectionPool` can manage: a single-owner handle to a C client.
protocol BlockingPoolConnection: AnyObject, Sendable {
    /// Asked of an idle connection before it is lent out, without blocking: false when it broke
    /// while idle (the server restarted), and the pool opens a fresh one in its place.
    func checkAlive() -> Bool
    /// Asked when a connection comes back: cleans up what the borrower left (an open transaction)
    /// and says whether to keep it; false drops it.
    func prepareForReuse() -> Bool
    /// Closes the connection's socket.
    func close()
}

/// A pool of blocking C-client connections (hiredis, libpq) reachable from async code.
///
/// Blocking calls run on the pool's own threads, one per connection, so they never stall
/// Swift's cooperative pool or a SwiftNIO event loop. Callers beyond the connection limit
/// wait in arrival order. A connection that broke is dropped and the next lease opens a fresh
/// one, which is how the pool recovers after the server restarts.
final class BlockingConnectionPool<Connection: BlockingPoolConnection>: @unchecked Sendable {
    // @unchecked: `state` is only touched under its Mutex; connections move between threads
    // only through a lease, so exactly one thread owns each at a time.
    private typealias StateMachine = ConnectionLeaseStateMachine<Connection, Int>
    private struct State {
        var machine: StateMachine
        var nextWaiterID = 0
        var continuations: [Int: CheckedContinuation<Connection?, any Error>] = [:]
    }

    private let state: Mutex<State>
    private let threads: NIOThreadPool
    private let open: @Sendable () throws -> Connection
    private let closedError: @Sendable () -> any Error
    private let logger: Logger
    private let name: String
    /// How long a caller waits for a connection when all are in use; `nil`: as long as it takes.
    private let waitTimeout: Duration?
    private let waitTimeoutError: @Sendable () -> any Error

    /// Creates a pool and starts its threads.
    /// - Parameters:
    ///   - maxConnections: the most connections open at once (and the number of threads).
    ///   - name: the server's name in log lines ("Redis", "PostgreSQL").
    ///   - logger: receives dropped connections (info).
    ///   - open: opens one connection; runs on a pool thread.
    ///   - closedError: what a caller gets after `close()`.
    ///   - waitTimeout: how long a caller may wait for a busy pool's next free connection; `nil` for
    ///     no limit. A stuck query holding every connection must not stall every caller behind it.
    ///   - waitTimeoutError: what a caller gets when that wait runs out.
    init(
        maxConnections: Int,
        name: String,
        logger: Logger,
        open: @escaping @Sendable () throws -> Connection,
        closedError: @escaping @Sendable () -> any Error,
        waitTimeout: Duration? = nil,
        waitTimeoutError: @escaping @Sendable () -> any Error = { CancellationError() }
    ) {
        self.waitTimeout = waitTimeout
        self.waitTimeoutError = waitTimeoutError
        self.state = Mutex(State(machine: StateMachine(maxConnections: maxConnections)))
        self.threads = NIOThreadPool(numberOfThreads: maxConnections)
        self.open = open
        self.closedError = closedError
        self.logger = logger
        self.name = name
        threads.start()
    }

    /// A safety net for a pool dropped without `close()`: stops the threads without waiting.
    deinit {
        threads.shutdownGracefully { _ in }
    }

    /// Leases a connection, runs `body` with it on a pool thread, and gives it back.
    func withConnection<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        let leased = try await lease()
        let outcome: Result<T, any Error>
        do {
            outcome = try await threads.runIfActive { [open, logger, name] in
                let connection: Connection
                if let leased, leased.checkAlive() {
                    connection = leased
                } else {
                    if let leased {
                        logger.info("dropping a broken idle connection", metadata: [LogKey.poolServer: "\(name)"])
                        leased.close()
                    }
                    do { connection = try open() } catch {
                        self.openFailed()
                        return .failure(error)
                    }
                }
                defer { self.release(connection) }
                return Result { try body(connection) }
            }
        } catch {
            // The threads refused the work (the pool is shutting down, or the task was cancelled
            // before the work started): the lease is still ours.
            if let leased { release(leased) } else { openFailed() }
            throw error is CancellationError ? error : closedError()
        }
        return try outcome.get()
    }

    /// Closes idle connections and fails waiters; connections in use close when given back.
    func close() async {
        let (idle, waiters) = state.withLock { state -> ([Connection], [CheckedContinuation<Connection?, any Error>]) in
            let closed = state.machine.close()
            let continuations = closed.waiters.compactMap { state.continuations.removeValue(forKey: $0) }
            return (closed.idle, continuations)
        }
        for waiter in waiters { waiter.resume(throwing: closedError()) }
        if !idle.isEmpty {
            // Closing says goodbye to the server: blocking I/O, so on a pool thread.
            _ = try? await threads.runIfActive { idle.forEach { $0.close() } }
        }
        try? await threads.shutdownGracefully()
    }

    private func lease() async throws -> Connection? {
        let id = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        // Fails the wait after `waitTimeout`; cancelled as soon as the wait ends another way.
        let timer = Mutex<Task<Void, Never>?>(nil)
        defer { timer.withLock { $0?.cancel() } }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Connection?, any Error>) in
                let action = state.withLock { state -> StateMachine.LeaseAction? in
                    // Cancelled before queueing: the cancellation handler has already run and found nothing.
                    if Task.isCancelled { return nil }
                    let action = state.machine.lease(waiter: id)
                    if case .wait = action { state.continuations[id] = continuation }
                    return action
                }
                if case .wait = action, let waitTimeout {
                    timer.withLock {
                        $0 = Task { [weak self] in
                            try? await Task.sleep(for: waitTimeout)
                            if !Task.isCancelled { self?.expireWaiter(id) }
                        }
                    }
                }
                switch action {
                case nil: continuation.resume(throwing: CancellationError())
                case .use(let connection): continuation.resume(returning: connection)
                case .open: continuation.resume(returning: nil)
                case .wait: break
                case .closed: continuation.resume(throwing: closedError())
                }
            }
        } onCancel: {
            let continuation = state.withLock { state in
                state.machine.cancelWaiter(id) ? state.continuations.removeValue(forKey: id) : nil
            }
            continuation?.resume(throwing: CancellationError())
        }
    }

    /// Ends a wait that ran out of time, unless it was granted first.
    private func expireWaiter(_ id: Int) {
        let continuation = state.withLock { state in
            state.machine.cancelWaiter(id) ? state.continuations.removeValue(forKey: id) : nil
        }
        continuation?.resume(throwing: waitTimeoutError())
    }

    private func release(_ connection: Connection) {
        let reusable = connection.prepareForReuse()
        if !reusable {
            logger.info("dropping a broken connection", metadata: [LogKey.poolServer: "\(name)"])
            connection.close()
        }
        let (action, continuation) = state.withLock { state in
            let action = state.machine.release(connection, reusable: reusable)
            return (action, Self.continuation(for: action, in: &state))
        }
        run(action, continuation)
    }

    private func openFailed() {
        let (action, continuation) = state.withLock { state in
            let action = state.machine.openFailed()
            return (action, Self.continuation(for: action, in: &state))
        }
        run(action, continuation)
    }

    private static func continuation(
        for action: StateMachine.ReleaseAction,
        in state: inout State
    ) -> CheckedContinuation<Connection?, any Error>? {
        switch action {
        case .handOver(let id, _), .openFor(let id): state.continuations.removeValue(forKey: id)
        default: nil
        }
    }

    private func run(_ action: StateMachine.ReleaseAction, _ continuation: CheckedContinuation<Connection?, any Error>?) {
        switch action {
        case .handOver(_, let connection): continuation?.resume(returning: connection)
        case .openFor: continuation?.resume(returning: nil)
        case .close(let connection): connection.close()
        case .keep, .none: break
        }
    }
}
