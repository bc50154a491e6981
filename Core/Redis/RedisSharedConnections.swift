import NIOCore
import Synchronization

/// The few shared connections of a ``RedisClient``, taken in turn by every non-blocking call.
///
/// Each is opened on first use and replaced on the next call after it failed (the server
/// restarted), so the client carries on by itself. Callers that arrive while one is connecting
/// wait for that connection rather than opening their own.
final class RedisSharedConnections: Sendable {
    private enum Slot {
        case empty
        case connecting(EventLoopFuture<RedisSharedConnection>)
        case ready(RedisSharedConnection)
    }

    private struct State {
        var slots: [Slot]
        var closed = false
    }

    private let state: Mutex<State>
    private let turn = Atomic<Int>(0)
    private let count: Int
    private let open: @Sendable () -> EventLoopFuture<RedisSharedConnection>
    private let closedError: @Sendable () -> RedisError

    /// - Parameters:
    ///   - count: how many connections to keep; one per event loop spreads the replies' parsing.
    ///   - open: connects one.
    ///   - closedError: what a caller gets after `close()`.
    init(
        count: Int,
        open: @escaping @Sendable () -> EventLoopFuture<RedisSharedConnection>,
        closedError: @escaping @Sendable () -> RedisError
    ) {
        self.count = max(1, count)
        self.state = Mutex(State(slots: Array(repeating: .empty, count: self.count)))
        self.open = open
        self.closedError = closedError
    }

    /// The next connection in turn, connected.
    /// - Throws: `RedisError.connectionFailed` when it cannot be opened, `.poolClosed` after `close()`.
    func next() async throws -> RedisSharedConnection {
        let index = turn.wrappingAdd(1, ordering: .relaxed).oldValue
        let slot = index % count
        let (ready, pending, opened): (RedisSharedConnection?, EventLoopFuture<RedisSharedConnection>?, Bool) = try state.withLock { state in
            if state.closed { throw closedError() }
            switch state.slots[slot] {
            case .ready(let connection) where connection.isActive:
                return (connection, nil, false)
            case .connecting(let future):
                return (nil, future, false)
            case .ready, .empty:
                let future = open()
                state.slots[slot] = .connecting(future)
                return (nil, future, true)
            }
        }
        if let ready { return ready }
        guard let pending else { preconditionFailure("a slot is ready, connecting or opened") }
        // Outside the lock: a future that failed at once runs its callbacks right here.
        if opened { pending.whenComplete { result in self.settle(slot: slot, future: pending, result: result) } }
        return try await pending.get()
    }

    /// Closes every connection; later calls fail with `poolClosed`.
    func close() {
        let connections = state.withLock { state -> [RedisSharedConnection] in
            state.closed = true
            let open = state.slots.compactMap { slot -> RedisSharedConnection? in
                if case .ready(let connection) = slot { return connection }
                return nil
            }
            state.slots = state.slots.map { _ in .empty }
            return open
        }
        for connection in connections { connection.close() }
    }

    private func settle(slot: Int, future: EventLoopFuture<RedisSharedConnection>, result: Result<RedisSharedConnection, any Error>) {
        let late = state.withLock { state -> RedisSharedConnection? in
            guard case .connecting(let current) = state.slots[slot], current === future else {
                // Closed while connecting: the new connection is not kept.
                return try? result.get()
            }
            switch result {
            case .success(let connection): state.slots[slot] = .ready(connection)
            case .failure: state.slots[slot] = .empty
            }
            return nil
        }
        late?.close()
    }
}
