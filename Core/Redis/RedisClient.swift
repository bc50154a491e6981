public import Logging
public import ServiceLifecycle
import Synchronization

/// Leopost's Redis client: a pool of hiredis connections usable from async code.
///
/// Blocking hiredis calls run on the pool's own threads, never on SwiftNIO event loops or the
/// cooperative pool. Broken connections are dropped and reopened on the next call, so the client
/// carries on after Redis restarts. Run it in a `ServiceGroup` (it closes on graceful shutdown)
/// or call `close()` yourself.
///
/// ```swift
/// let redis = RedisClient(url: try RedisURL("redis://127.0.0.1:6379"), logger: logger)
/// let id = try await redis.send(RedisCommand("XADD", "{lp:router}:stream", "*", "k", "v")).string
/// ```
public final class RedisClient: Service, Sendable {
    /// Limits of the client; the defaults suit a worker with a few stages.
    public struct Configuration: Sendable {
        /// The most connections open at once, each with its own thread. Blocking reads
        /// (`XREADGROUP BLOCK`) hold one for their duration.
        public var maxConnections: Int
        /// How long to wait for the TCP connection.
        public var connectTimeout: Duration
        /// Socket read/write timeout; must exceed the longest `BLOCK` a caller uses.
        public var commandTimeout: Duration

        /// Creates a configuration.
        public init(maxConnections: Int = 32, connectTimeout: Duration = .seconds(5), commandTimeout: Duration = .seconds(30)) {
            self.maxConnections = maxConnections
            self.connectTimeout = connectTimeout
            self.commandTimeout = commandTimeout
        }
    }

    /// The server this client talks to.
    public let url: RedisURL
    private let pool: BlockingConnectionPool<RedisConnection>
    private let scriptSHAs = Mutex<[RedisScript: String]>([:])
    private let scripts = RedisScriptBatch()
    private let logger: Logger

    /// Creates a client; no connection is made until the first call.
    public init(url: RedisURL, configuration: Configuration = .init(), logger: Logger) {
        self.url = url
        self.logger = logger
        self.pool = BlockingConnectionPool(
            maxConnections: configuration.maxConnections,
            name: "Redis",
            logger: logger,
            open: {
                try RedisConnection(url: url, connectTimeout: configuration.connectTimeout, commandTimeout: configuration.commandTimeout)
            },
            closedError: { RedisError(code: .poolClosed, message: "the Redis client was shut down") }
        )
    }

    /// Runs until graceful shutdown, then closes every connection.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }

    /// Closes idle connections and refuses further calls.
    public func close() async {
        await pool.close()
    }

    /// Sends one command.
    /// - Throws: `RedisError.server` for an error reply, `.connectionFailed`/`.connectionLost` for the socket.
    @discardableResult
    public func send(_ command: RedisCommand) async throws -> RedisReply {
        try await withConnection { try $0.send(command) }.throwingError()
    }

    /// Sends commands in one round trip; each reply may be `.error` on its own.
    public func pipeline(_ commands: [RedisCommand]) async throws -> [RedisReply] {
        if commands.isEmpty { return [] }
        return try await withConnection { try $0.pipeline(commands) }
    }

    /// Runs `body` with one leased connection on a pool thread (blocking reads, several calls in a row).
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (RedisConnection) throws -> T) async throws -> T {
        try await pool.withConnection(body)
    }

    /// Runs a Lua script by SHA, loading it first when Redis does not know it.
    ///
    /// Scripts never block, so calls made at the same time by other tasks go to Redis together, in
    /// one pipeline on one connection (``RedisScriptBatch``); each still runs atomically on its own.
    /// - Throws: `RedisError.server` when the script itself raises an error.
    @discardableResult
    public func run(_ script: RedisScript, keys: [String], arguments: [any RedisArgumentConvertible] = []) async throws -> RedisReply {
        try await scripts.run(script, keys: keys, arguments: arguments) { calls in
            try await self.withConnection { connection in try self.evaluate(calls, on: connection) }
        }
    }

    /// Runs a batch of script calls in one pipeline; a script Redis does not know is loaded first.
    private func evaluate(_ calls: [RedisScriptBatch.Call], on connection: RedisConnection) throws -> [Result<RedisReply, any Error>] {
        if calls.count == 1 {
            let call = calls[0]
            return [Result { try run(call.script, keys: call.keys, arguments: call.arguments, on: connection) }]
        }
        var shas = scriptSHAs.withLock { $0 }
        for script in Set(calls.map(\.script)) where shas[script] == nil {
            shas[script] = try load(script, on: connection)
        }
        let replies = try connection.pipeline(
            calls.map { RedisCommand("EVALSHA", arguments: [shas[$0.script] ?? "", $0.keys.count] + $0.keys + $0.arguments) })
        return zip(calls, replies).map { call, reply in
            if case .error(let text) = reply {
                // Flushed meanwhile (SCRIPT FLUSH, a restart): this call loads it again on its own.
                if RedisError.serverReply(text).code == .noScript {
                    return Result { try run(call.script, keys: call.keys, arguments: call.arguments, on: connection) }
                }
                return .failure(RedisError(code: .server, message: "script \(call.script.name) failed: \(text)"))
            }
            return .success(reply)
        }
    }

    private func load(_ script: RedisScript, on connection: RedisConnection) throws -> String {
        guard let sha = try connection.send(RedisCommand("SCRIPT", "LOAD", script.source)).throwingError().string else {
            throw RedisError(code: .unexpectedReply, message: "SCRIPT LOAD of \(script.name) returned no SHA")
        }
        scriptSHAs.withLock { $0[script] = sha }
        return sha
    }

    /// Runs a script on a connection the caller holds (inside `withConnection`).
    public func run(
        _ script: RedisScript,
        keys: [String],
        arguments: [any RedisArgumentConvertible] = [],
        on connection: RedisConnection
    ) throws -> RedisReply {
        let known = scriptSHAs.withLock { $0[script] }
        return try evaluate(script, sha: known, keys: keys, arguments: arguments, on: connection)
    }

    private func evaluate(
        _ script: RedisScript,
        sha known: String?,
        keys: [String],
        arguments: [any RedisArgumentConvertible],
        on connection: RedisConnection
    ) throws -> RedisReply {
        func load() throws -> String { try self.load(script, on: connection) }
        func call(_ sha: String) throws -> RedisReply {
            try connection.send(RedisCommand("EVALSHA", arguments: [sha, keys.count] + keys + arguments))
        }
        var reply = try call(known ?? load())
        if case .error(let text) = reply, RedisError.serverReply(text).code == .noScript {
            reply = try call(load())
        }
        if case .error(let text) = reply {
            throw RedisError(code: .server, message: "script \(script.name) failed: \(text)")
        }
        return reply
    }
}
