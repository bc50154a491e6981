public import Logging
import NIOCore
import NIOPosix
public import ServiceLifecycle

/// Leopost's Redis client, usable from async code.
///
/// Commands that answer at once go over a few shared connections on SwiftNIO event loops:
/// concurrent callers' commands travel together and nobody holds a connection while waiting,
/// so a webhook's enqueue, a stage's outcome and a budget reservation cost a round trip shared
/// with everything else in flight, not a thread and a connection each. Blocking commands
/// (`XREADGROUP ... BLOCK`, `BLPOP`) and subscriptions go to a pool of hiredis connections of
/// their own, each on its own thread, so they never hold up the shared ones. Broken connections are
/// replaced on the next call, so the client carries on after Redis restarts. Run it in a
/// `ServiceGroup` (it closes on graceful shutdown) or call `close()` yourself.
///
/// ```swift
/// let redis = RedisClient(url: try RedisURL("redis://127.0.0.1:6379"), logger: logger)
/// let id = try await redis.send(RedisCommand("XADD", "{lp:router}:stream", "*", "k", "v")).string
/// ```
public final class RedisClient: Service, Sendable {
    /// Limits of the client; the defaults suit a worker with a few stages.
    public struct Configuration: Sendable {
        /// How many shared connections carry the commands that answer at once.
        public var sharedConnections: Int
        /// The most connections open at once for blocking commands and subscriptions, each with its
        /// own thread; a blocking read (`XREADGROUP BLOCK`) holds one for its duration.
        public var maxConnections: Int
        /// How long to wait for the TCP connection.
        public var connectTimeout: Duration
        /// How long a reply may take (for a blocking command, beyond the time it asks Redis to
        /// wait). A connection whose reply is this late is closed, failing what waits on it.
        public var commandTimeout: Duration

        /// Creates a configuration.
        public init(
            sharedConnections: Int = 2,
            maxConnections: Int = 16,
            connectTimeout: Duration = .seconds(5),
            commandTimeout: Duration = .seconds(5)
        ) {
            self.sharedConnections = sharedConnections
            self.maxConnections = maxConnections
            self.connectTimeout = connectTimeout
            self.commandTimeout = commandTimeout
        }
    }

    /// The server this client talks to.
    public let url: RedisURL
    /// How long a reply may take (``Configuration/commandTimeout``).
    public let commandTimeout: Duration
    private let shared: RedisSharedConnections
    /// The loop every client's shared connections run on: one thread per process, off the HTTP
    /// server's loops, so replies are parsed and handed on at once, never behind a burst of
    /// requests being parsed on the same thread. Like NIO's own singletons it lives as long as the
    /// process, and a client costs no thread or descriptor of its own for it.
    private static let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let blocking: BlockingConnectionPool<RedisConnection>
    private let logger: Logger

    /// Creates a client; no connection is made until the first call.
    public init(url: RedisURL, configuration: Configuration = .init(), logger: Logger) {
        self.url = url
        self.commandTimeout = configuration.commandTimeout
        let eventLoopGroup = Self.eventLoops
        self.logger = logger
        let closedError = { @Sendable in RedisError(code: .poolClosed, message: "the Redis client was shut down") }
        self.shared = RedisSharedConnections(
            count: configuration.sharedConnections,
            open: {
                RedisSharedConnection.connect(
                    to: url, group: eventLoopGroup,
                    connectTimeout: configuration.connectTimeout, commandTimeout: configuration.commandTimeout)
            },
            closedError: closedError
        )
        self.blocking = BlockingConnectionPool(
            maxConnections: configuration.maxConnections,
            name: "Redis",
            logger: logger,
            open: {
                try RedisConnection(url: url, connectTimeout: configuration.connectTimeout, commandTimeout: configuration.commandTimeout)
            },
            closedError: closedError
        )
    }

    /// Runs until graceful shutdown, then closes every connection.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }

    /// Closes the connections and refuses further calls.
    public func close() async {
        shared.close()
        await blocking.close()
    }

    /// Sends one command; a blocking one (see ``RedisCommand/blocks``) on a connection of its own.
    /// - Throws: `RedisError.server` for an error reply, `.connectionFailed`/`.connectionLost` for the socket.
    @discardableResult
    public func send(_ command: RedisCommand) async throws -> RedisReply {
        try await pipeline([command])[0].throwingError()
    }

    /// Sends commands in one round trip; each reply may be `.error` on its own.
    public func pipeline(_ commands: [RedisCommand]) async throws -> [RedisReply] {
        if commands.isEmpty { return [] }
        if commands.contains(where: \.blocks) {
            return try await withConnection { try $0.pipeline(commands) }
        }
        return try await shared.next().send(commands)
    }

    /// Runs `body` with a connection of its own on a thread of its own: for subscriptions and
    /// other calls that wait on the socket. Everything else is cheaper through `send`.
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (RedisConnection) throws -> T) async throws -> T {
        try await blocking.withConnection(body)
    }

    /// Runs a Lua script by SHA, loading it first when Redis does not know it.
    /// - Throws: `RedisError.server` when the script itself raises an error.
    @discardableResult
    public func run(_ script: RedisScript, keys: [String], arguments: [any RedisArgumentConvertible] = []) async throws -> RedisReply {
        let call = RedisCommand("EVALSHA", arguments: [script.sha, keys.count] + keys + arguments)
        let connection = try await shared.next()
        var reply = try await connection.send([call])[0]
        if case .error(let text) = reply, RedisError.serverReply(text).code == .noScript {
            // First use, a restart or a flushed cache: load it and call again, in one round trip.
            let replies = try await connection.send([RedisCommand("SCRIPT", "LOAD", script.source), call])
            _ = try replies[0].throwingError()
            reply = replies[1]
        }
        if case .error(let text) = reply {
            throw RedisError(code: .server, message: "script \(script.name) failed: \(text)", replyCode: RedisError.serverReply(text).replyCode)
        }
        return reply
    }
}
