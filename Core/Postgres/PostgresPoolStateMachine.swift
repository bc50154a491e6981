/// The pool's bookkeeping as a pure value: who holds a connection, who waits, what to do next.
///
/// Each input returns an action and changes nothing else; ``PostgresPool`` calls it under a lock and
/// carries the action out after unlocking (opening, closing and resuming happen outside the lock).
/// Generic so tests can drive it with plain values, as postgres-nio's `PoolStateMachine` is.
///
/// Invariant: `idle.count + slotsInUse <= maxConnections`, where a slot is in use from the moment a
/// caller is told to use or open a connection until that connection is released or fails to open.
struct PostgresPoolStateMachine<Connection, Waiter> {
    /// What a caller asking for a connection should do.
    enum LeaseAction {
        /// Use this idle connection.
        case useIdle(Connection)
        /// A slot is reserved for you: open a new connection.
        case open
        /// All slots are busy: you were queued and will be resumed by a later release.
        case wait
        /// The pool is closed.
        case failClosed
    }

    /// What the holder of a connection should do when giving it back.
    enum ReleaseAction {
        /// Hand the connection to this waiter, who keeps the slot.
        case resumeWaiter(Waiter, Connection)
        /// Nobody waits: the connection was kept as idle.
        case keepIdle
        /// Close the connection; if a waiter is given, it inherits the slot and must open a new connection.
        case discard(openFor: Waiter?)
    }

    /// What to do when the pool closes: fail the waiters, close the idle connections.
    struct CloseAction {
        var waiters: [Waiter]
        var idle: [Connection]
    }

    let maxConnections: Int
    private(set) var idle: [Connection] = []
    private(set) var waiters: [(id: Int, waiter: Waiter)] = []
    private(set) var slotsInUse = 0
    private(set) var isClosed = false

    init(maxConnections: Int) {
        precondition(maxConnections > 0, "a pool needs at least one connection")
        self.maxConnections = maxConnections
    }

    /// A caller wants a connection; `waiter` is kept only when the answer is `.wait`.
    mutating func lease(id: Int, waiter: Waiter) -> LeaseAction {
        if isClosed { return .failClosed }
        if let connection = idle.popLast() {
            slotsInUse += 1
            return .useIdle(connection)
        }
        if slotsInUse < maxConnections {
            slotsInUse += 1
            return .open
        }
        waiters.append((id, waiter))
        return .wait
    }

    /// A caller gives its connection back; `reusable` is false when it is broken or in an unknown state.
    mutating func release(_ connection: Connection, reusable: Bool) -> ReleaseAction {
        if isClosed || !reusable { return freeSlot() }
        if !waiters.isEmpty {
            return .resumeWaiter(waiters.removeFirst().waiter, connection)
        }
        slotsInUse -= 1
        idle.append(connection)
        return .keepIdle
    }

    /// Opening a connection failed: the slot is free again, and the first waiter (if any) may try.
    mutating func openFailed() -> Waiter? {
        guard case .discard(let waiter) = freeSlot() else { return nil }
        return waiter
    }

    /// A waiting caller was cancelled: returns its waiter to resume with an error, or nil if it had
    /// already been served.
    mutating func cancelWaiter(id: Int) -> Waiter? {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
        return waiters.remove(at: index).waiter
    }

    /// Closes the pool: no more leases; returns everyone waiting and every idle connection.
    /// Connections in use are closed as they are released. A second call returns nothing.
    mutating func close() -> CloseAction {
        isClosed = true
        defer {
            waiters = []
            idle = []
        }
        return CloseAction(waiters: waiters.map(\.waiter), idle: idle)
    }

    /// Gives a slot back, or passes it on to the first waiter so it opens a fresh connection.
    private mutating func freeSlot() -> ReleaseAction {
        if !isClosed, !waiters.isEmpty {
            return .discard(openFor: waiters.removeFirst().waiter)
        }
        slotsInUse -= 1
        return .discard(openFor: nil)
    }
}

extension PostgresPoolStateMachine.LeaseAction: Equatable where Connection: Equatable {}
extension PostgresPoolStateMachine.ReleaseAction: Equatable where Connection: Equatable, Waiter: Equatable {}
