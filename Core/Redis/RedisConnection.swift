import CHiredis

#if canImport(Glibc)
    import Glibc
#endif

/// One blocking connection to Redis: a hiredis `redisContext` with exactly one owner at a time.
///
/// For the commands that wait on the socket (`XREADGROUP ... BLOCK`, `BLPOP`, a subscription);
/// everything else goes through the client's shared connections. Every call blocks its thread,
/// so it must run on a thread meant for blocking (the `RedisClient`'s pool threads), never on
/// Swift's cooperative pool. The client leases a connection to one caller at a time; this type
/// is not safe to share.
public final class RedisConnection {
    private var context: UnsafeMutablePointer<redisContext>?
    /// Where this connection goes, for messages.
    public let url: RedisURL
    /// How long a reply may take beyond the time a blocking command asks Redis to wait.
    private let commandTimeout: Duration

    /// Connects, authenticates and selects the database.
    /// - Parameters:
    ///   - url: the server.
    ///   - connectTimeout: how long to wait for the TCP connection.
    ///   - commandTimeout: socket read/write timeout, beyond the time a blocking command asks Redis to wait.
    /// - Throws: `RedisError.connectionFailed` naming the address and the reason.
    public init(url: RedisURL, connectTimeout: Duration = .seconds(5), commandTimeout: Duration = .seconds(30)) throws {
        _ = Self.brokenPipesIgnored
        self.url = url
        self.commandTimeout = commandTimeout
        let context = url.host.withCString { redisConnectWithTimeout($0, Int32(url.port), timeval(connectTimeout)) }
        guard let context else {
            throw RedisError(code: .connectionFailed, message: "could not allocate a Redis context for \(url)")
        }
        if context.pointee.err != 0 {
            let reason = Self.errorText(context)
            redisFree(context)
            throw RedisError(
                code: .connectionFailed,
                message: "could not connect to Redis at \(url.host):\(url.port): \(reason); is redis-server running? set LEOPOST_REDIS_URL"
            )
        }
        self.context = context
        _ = redisSetTimeout(context, timeval(commandTimeout))
        // TCP keepalive (idle 15 s, then probes): an idle connection to a server that vanished
        // without closing (a crashed host) fails instead of looking alive forever.
        _ = redisEnableKeepAlive(context)
        do {
            for command in url.loginCommands { try send(command).throwingError() }
        } catch let error as RedisError {
            close()
            throw RedisError(code: .connectionFailed, message: "Redis at \(url) refused the login: \(error.message)")
        }
    }

    deinit { close() }

    /// hiredis writes with write(2), which raises SIGPIPE when the server has gone away (a Redis
    /// restart), and SIGPIPE's default action ends the process. Ignoring it turns that into the
    /// EPIPE error the connection already handles. Process-wide and idempotent; set on first use.
    /// (libpq and libcurl protect their own writes; child processes are started with default signals.)
    private static let brokenPipesIgnored: Void = {
        _ = signal(SIGPIPE, SIG_IGN)
    }()

    /// Closes the socket; later calls throw `connectionLost`.
    public func close() {
        if let context {
            redisFree(context)
            self.context = nil
        }
    }

    /// True while the socket is open and no error has been seen on it.
    public var isOpen: Bool { context.map { $0.pointee.err == 0 } ?? false }

    /// Sends one command and waits for its reply. An error reply is returned as `.error`, not thrown.
    /// - Throws: `RedisError.connectionLost` or `.timeout` when the socket fails; the connection is then closed.
    /// A blocking command (``RedisCommand/blockTime``) may take its block time plus the command timeout.
    public func send(_ command: RedisCommand) throws -> RedisReply {
        let context = try openContext()
        let block = command.blockTime
        if let block { _ = redisSetTimeout(context, timeval(commandTimeout + block)) }
        defer { if block != nil, self.context != nil { _ = redisSetTimeout(context, timeval(commandTimeout)) } }
        let raw = command.arguments.withArgv { argc, argv, lengths in
            redisCommandArgv(context, argc, argv, lengths)
        }
        guard let raw else { throw failure(context) }
        return takeReply(raw)
    }

    /// Sends several commands in one write and reads all replies, in order.
    ///
    /// Each reply may be `.error` on its own; the socket failing throws and closes the connection.
    public func pipeline(_ commands: [RedisCommand]) throws -> [RedisReply] {
        let context = try openContext()
        let block = commands.compactMap(\.blockTime).max()
        if let block { _ = redisSetTimeout(context, timeval(commandTimeout + block)) }
        defer { if block != nil, self.context != nil { _ = redisSetTimeout(context, timeval(commandTimeout)) } }
        for command in commands {
            let status = command.arguments.withArgv { argc, argv, lengths in
                redisAppendCommandArgv(context, argc, argv, lengths)
            }
            guard status == REDIS_OK else { throw failure(context) }
        }
        var replies: [RedisReply] = []
        replies.reserveCapacity(commands.count)
        for _ in commands {
            var raw: UnsafeMutableRawPointer?
            guard redisGetReply(context, &raw) == REDIS_OK, let raw else { throw failure(context) }
            replies.append(takeReply(raw))
        }
        return replies
    }

    /// Writes a command without reading a reply: for subscription mode, where the server's
    /// answers arrive as pushed messages read with `nextPushed(timeout:)`.
    public func write(_ command: RedisCommand) throws {
        let context = try openContext()
        let status = command.arguments.withArgv { argc, argv, lengths in
            redisAppendCommandArgv(context, argc, argv, lengths)
        }
        guard status == REDIS_OK else { throw failure(context) }
        var done: Int32 = 0
        while done == 0 {
            guard redisBufferWrite(context, &done) == REDIS_OK else { throw failure(context) }
        }
    }

    /// The next reply the server pushes (a subscription's message), waiting at most `timeout`;
    /// `nil` when nothing came in time, so a reader loop can check whether it should stop.
    /// - Throws: `RedisError.connectionLost` when the socket fails; the connection is then closed.
    public func nextPushed(timeout: Duration) throws -> RedisReply? {
        let context = try openContext()
        var raw: UnsafeMutableRawPointer?
        guard redisGetReplyFromReader(context, &raw) == REDIS_OK else { throw failure(context) }
        if let raw { return takeReply(raw) }
        var descriptor = pollfd(fd: context.pointee.fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, Int32(clamping: timeout.milliseconds))
        guard ready > 0 else {
            if ready < 0, errno != EINTR { throw failure(context) }
            return nil
        }
        guard redisBufferRead(context) == REDIS_OK, redisGetReplyFromReader(context, &raw) == REDIS_OK else { throw failure(context) }
        return raw.map(takeReply)
    }

    /// True when the socket has something to read while no command is outstanding: after a
    /// server restart the old socket reads as closed, so the pool discards it without a round trip.
    var hasUnexpectedInput: Bool {
        guard let context else { return true }
        var descriptor = pollfd(fd: context.pointee.fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) != 0
    }

    private func openContext() throws -> UnsafeMutablePointer<redisContext> {
        guard let context, context.pointee.err == 0 else {
            throw RedisError(code: .connectionLost, message: "the connection to Redis at \(url) is closed")
        }
        return context
    }

    private func failure(_ context: UnsafeMutablePointer<redisContext>) -> RedisError {
        let reason = Self.errorText(context)
        let timedOut = context.pointee.err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK)
        close()
        if timedOut {
            return RedisError(code: .timeout, message: "Redis at \(url) did not answer in time")
        }
        return RedisError(code: .connectionLost, message: "lost the connection to Redis at \(url): \(reason)")
    }

    private func takeReply(_ raw: UnsafeMutableRawPointer) -> RedisReply {
        defer { freeReplyObject(raw) }
        return RedisReply(raw.assumingMemoryBound(to: redisReply.self))
    }

    private static func errorText(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { buffer in
            String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}

extension RedisReply {
    /// Copies a hiredis reply tree into Swift values.
    init(_ reply: UnsafeMutablePointer<redisReply>) {
        let value = reply.pointee
        func text() -> [UInt8] {
            guard let str = value.str else { return [] }
            return Array(UnsafeRawBufferPointer(start: str, count: Int(value.len)))
        }
        switch value.type {
        case REDIS_REPLY_STRING: self = .bulk(text())
        case REDIS_REPLY_STATUS: self = .status(String(decoding: text(), as: UTF8.self))
        case REDIS_REPLY_ERROR: self = .error(String(decoding: text(), as: UTF8.self))
        case REDIS_REPLY_INTEGER: self = .integer(Int64(value.integer))
        case REDIS_REPLY_ARRAY:
            var elements: [RedisReply] = []
            elements.reserveCapacity(Int(value.elements))
            for index in 0..<Int(value.elements) {
                if let element = value.element[index] { elements.append(RedisReply(element)) } else { elements.append(.null) }
            }
            self = .array(elements)
        default: self = .null
        }
    }
}

extension timeval {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.init(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}
