import Foundation
public import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// A redis-server that Leopost starts for itself when no `LEOPOST_REDIS_URL` is given.
///
/// Data lives in `directory` with the append-only file on and fsynced before every reply
/// (`appendfsync always`): a webhook's 2xx and a chat message's 202 promise that the queued work
/// survives, and that must hold through a power loss, not only a restart of `leopost serve`. The
/// port is a free loopback port chosen at each start.
public final class EmbeddedRedis: Sendable {
    /// Where clients connect.
    public let url: RedisURL
    private let child: ChildProcess

    /// Starts redis-server and waits until it answers `PING`.
    /// - Parameters:
    ///   - directory: the data directory, created when missing.
    ///   - port: the port to listen on; a free one when `nil` (a fixed one lets a test restart it in place).
    ///   - executable: the redis-server binary.
    public static func start(
        directory: String,
        port: Int? = nil,
        executable: String = "/usr/bin/redis-server",
        logger: Logger
    ) async throws -> EmbeddedRedis {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        stopLeftoverServer(pidFile: directory + "/redis.pid", directory: directory, logger: logger)
        let port = try port ?? FreePort.loopback()
        let password = try EmbeddedPassword.readOrCreate(at: directory + "/password")
        let child = try ChildProcess(
            executable: executable,
            arguments: [
                "--port", String(port), "--bind", "127.0.0.1", "--dir", directory,
                "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--maxmemory-policy", "noeviction",
                "--daemonize", "no", "--protected-mode", "yes", "--pidfile", directory + "/redis.pid",
                "--requirepass", password,
            ],
            logPath: directory + "/redis.log"
        )
        let url = RedisURL(host: "127.0.0.1", port: port, password: password)
        let server = EmbeddedRedis(url: url, child: child)
        // Generous: a loaded machine can take seconds to start a process; a ready server returns at once.
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let connection = try? RedisConnection(url: url, connectTimeout: .milliseconds(200)),
                (try? connection.send(RedisCommand("PING"))) == .status("PONG")
            {
                logger.debug("embedded redis-server ready", metadata: [LogKey.redisURL: "\(url)"])
                return server
            }
            guard child.isRunning else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        await child.stop()
        throw EmbeddedServerError(code: .notReady, message: "redis-server in \(directory) did not start:\n\(child.logTail())")
    }

    /// A redis-server left running by a `leopost serve` that was killed still appends to this
    /// directory's files; it is ours, so it is stopped before a new one starts on the same data.
    private static func stopLeftoverServer(pidFile: String, directory: String, logger: Logger) {
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
            let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), ChildProcess.isOurs(pid: pid, marker: directory)
        else { return }
        logger.info("stopping a redis-server left running on the embedded data", metadata: [LogKey.redisPID: "\(pid)"])
        kill(pid, SIGTERM)
        for _ in 0..<300 where kill(pid, 0) == 0 { usleep(20_000) }
    }

    private init(url: RedisURL, child: ChildProcess) {
        self.url = url
        self.child = child
    }

    /// The server's process id.
    public var pid: Int32 { child.pid }

    /// Stops the server (SIGTERM: it flushes its append-only file first).
    public func stop() async {
        await child.stop()
    }
}
