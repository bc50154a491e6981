import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// One TCP connection to Redis that many tasks use at once, on a SwiftNIO event loop.
///
/// A caller writes its commands and waits for their replies without holding the connection, so
/// commands from concurrent tasks travel together (Redis answers them in order) and no thread
/// blocks on a socket. Only commands that answer at once belong here: a blocking read
/// (`XREADGROUP BLOCK`, `BLPOP`) would hold up everyone behind it, and goes to a connection of
/// its own (``RedisConnection``).
final class RedisSharedConnection: Sendable {
    private let channel: any Channel
    private let address: String
    private let commandTimeout: TimeAmount
    private let unwritten: RedisUnwrittenCount

    private init(channel: any Channel, address: String, commandTimeout: TimeAmount, unwritten: RedisUnwrittenCount) {
        self.channel = channel
        self.unwritten = unwritten
        self.address = address
        self.commandTimeout = commandTimeout
    }

    /// True until the connection failed or was closed; a closed one is replaced by its owner.
    var isActive: Bool { channel.isActive }

    /// Completes when the connection has closed, for whoever keeps it.
    var closed: EventLoopFuture<Void> { channel.closeFuture }

    /// Connects, authenticates and selects the database.
    ///
    /// A future rather than `async`, so that callers arriving while it connects can share it and
    /// none of them owns (or can cancel) the connecting for the others.
    /// - Fails with `RedisError.connectionFailed` naming the address and the reason.
    static func connect(
        to url: RedisURL,
        group: any EventLoopGroup,
        connectTimeout: Duration,
        commandTimeout: Duration
    ) -> EventLoopFuture<RedisSharedConnection> {
        let address = "\(url.host):\(url.port)"
        let unwritten = RedisUnwrittenCount()
        let login = url.loginCommands
        return ClientBootstrap(group: group)
            .connectTimeout(TimeAmount(connectTimeout))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            // TCP keepalive after 15 s idle, three probes 5 s apart: a peer gone without a word is noticed
            // on an idle connection too, not only by the next command's timeout.
            .channelOption(.socketOption(.so_keepalive), value: 1)
            .channelOption(ChannelOptions.Types.SocketOption(level: .tcp, name: .init(rawValue: TCP_KEEPIDLE)), value: 15)
            .channelOption(ChannelOptions.Types.SocketOption(level: .tcp, name: .init(rawValue: TCP_KEEPINTVL)), value: 5)
            .channelOption(ChannelOptions.Types.SocketOption(level: .tcp, name: .init(rawValue: TCP_KEEPCNT)), value: 3)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RedisReplyHandler(address: address, unwritten: unwritten))
                }
            }
            .connect(host: url.host, port: url.port)
            .flatMapErrorThrowing { error in
                throw RedisError(
                    code: .connectionFailed,
                    message: "could not connect to Redis at \(address): \(reason(error)); is redis-server running? set LEOPOST_REDIS_URL"
                )
            }
            .flatMap { channel in
                let connection = RedisSharedConnection(
                    channel: channel, address: address, commandTimeout: TimeAmount(commandTimeout), unwritten: unwritten)
                return connection.submit(login).flatMapThrowing { replies in
                    for reply in replies { try reply.throwingError() }
                    return connection
                }
                .flatMapErrorThrowing { error in
                    connection.close()
                    let reason = (error as? RedisError)?.message ?? "\(error)"
                    throw RedisError(code: .connectionFailed, message: "Redis at \(url) refused the login: \(reason)")
                }
            }
    }

    /// Sends commands and waits for their replies, in order; each may be `.error` on its own.
    /// - Throws: `RedisError.connectionLost` or `.timeout` when the connection fails (it then closes).
    func send(_ commands: [RedisCommand]) async throws -> [RedisReply] {
        try await submit(commands).get()
    }

    private func submit(_ commands: [RedisCommand]) -> EventLoopFuture<[RedisReply]> {
        if commands.isEmpty { return channel.eventLoop.makeSucceededFuture([]) }
        var bytes = channel.allocator.buffer(capacity: 64 * commands.count)
        for command in commands { command.write(into: &bytes) }
        let promise = channel.eventLoop.makePromise(of: [RedisReply].self)
        let request = RedisRequest(bytes: bytes, expected: commands.count, promise: promise, deadline: .now() + commandTimeout)
        unwritten.submitting()
        channel.writeAndFlush(request).whenFailure { [address] _ in
            // It never reached the handler: the channel had closed already.
            promise.fail(RedisError(code: .connectionLost, message: "the connection to Redis at \(address) is closed"))
        }
        return promise.futureResult
    }

    /// Closes the socket; requests still waiting fail with `connectionLost`.
    func close() {
        channel.close(promise: nil)
    }
}

/// What a failed connect says to a person: the system's reason ("Connection refused"), not NIO's
/// nested description of every address it tried.
private func reason(_ error: any Error) -> String {
    let last = (error as? NIOConnectionError)?.connectionErrors.last?.error ?? error
    if let io = last as? IOError { return String(cString: strerror(io.errnoCode)) }
    if case .connectTimeout? = last as? NIOCore.ChannelError { return "timed out" }
    return "\(last)"
}
