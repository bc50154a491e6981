/// The bookkeeping of a pool of single-owner connections, as a value with no I/O.
///
/// Each input returns the action the pool must take, so the pool can run that action outside
/// its lock, and tests can read like a transcript of leases and releases (as postgres-nio's
/// `PoolStateMachine` does). `Connection` is whatever the pool hands out; `WaiterID` names a
/// caller waiting for one.
struct ConnectionLeaseStateMachine<Connection, WaiterID: Hashable> {
    /// What the pool does for a caller asking for a connection.
    enum LeaseAction {
        /// Use this idle connection.
        case use(Connection)
        /// Open a new connection (a slot was reserved for it).
        case open
        /// Wait: every slot is busy.
        case wait
        /// The pool is closed.
        case closed
    }

    /// What the pool does with a connection a caller gave back.
    enum ReleaseAction {
        /// Keep it idle.
        case keep
        /// Hand it straight to this waiter.
        case handOver(WaiterID, Connection)
        /// The connection was broken and dropped; this waiter may open a new one in its slot.
        case openFor(WaiterID)
        /// Nothing to do (a broken connection was dropped and nobody waits).
        case none
        /// The pool is closed: close this connection.
        case close(Connection)
    }

    let maxConnections: Int
    private(set) var idle: [Connection] = []
    private(set) var opened = 0
    private(set) var waiters: [WaiterID] = []
    private(set) var isClosed = false

    init(maxConnections: Int) {
        precondition(maxConnections > 0, "a pool needs at least one connection")
        self.maxConnections = maxConnections
    }

    /// A caller asks for a connection. When told to wait, `waiter` is queued in arrival order.
    mutating func lease(waiter: WaiterID) -> LeaseAction {
        if isClosed { return .closed }
        if let connection = idle.popLast() { return .use(connection) }
        if opened < maxConnections {
            opened += 1
            return .open
        }
        waiters.append(waiter)
        return .wait
    }

    /// A caller gives a connection back; `reusable` is false when it broke and was closed.
    mutating func release(_ connection: Connection, reusable: Bool) -> ReleaseAction {
        guard reusable else { return dropped() }
        if isClosed {
            opened -= 1
            return .close(connection)
        }
        if !waiters.isEmpty { return .handOver(waiters.removeFirst(), connection) }
        idle.append(connection)
        return .keep
    }

    /// Opening a connection for a reserved slot failed: the slot is free again.
    mutating func openFailed() -> ReleaseAction { dropped() }

    /// A waiting caller gave up (cancelled). Returns false when it was already served.
    mutating func cancelWaiter(_ waiter: WaiterID) -> Bool {
        guard let index = waiters.firstIndex(of: waiter) else { return false }
        waiters.remove(at: index)
        return true
    }

    /// Closes the pool: returns the idle connections to close and the waiters to fail.
    mutating func close() -> (idle: [Connection], waiters: [WaiterID]) {
        isClosed = true
        let result = (idle, waiters)
        opened -= idle.count
        idle = []
        waiters = []
        return result
    }

    private mutating func dropped() -> ReleaseAction {
        if !isClosed, !waiters.isEmpty { return .openFor(waiters.removeFirst()) }
        opened -= 1
        return .none
    }
}
