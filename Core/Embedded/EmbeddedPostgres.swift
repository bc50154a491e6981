import Foundation
public import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// A PostgreSQL server that Leopost starts for itself when no `LEOPOST_DATABASE_URL` is given.
///
/// The cluster is created once under `directory` (initdb, as the `postgres` user when Leopost
/// runs as root, since initdb refuses root; in a directory of its own under `/var/lib/leopost`
/// when that user cannot reach `directory`) and reused on later starts. It listens on a free
/// loopback port only, and its superuser has a generated password (SCRAM) kept in the directory,
/// so other local users cannot reach tenant data through it.
public final class EmbeddedPostgres: Sendable {
    /// The port it listens on.
    public let port: Int
    private let child: ChildProcess

    /// Creates the cluster when needed, starts the server and waits until it accepts connections.
    /// - Parameters:
    ///   - directory: holds the cluster (`data/`), the socket and the log.
    ///   - binDirectory: PostgreSQL's server binaries; the newest under /usr/lib/postgresql by default.
    public static func start(directory: String, binDirectory: String? = nil, logger: Logger) async throws -> EmbeddedPostgres {
        let bin = try binDirectory ?? findBinDirectory()
        let runAsPostgres = getuid() == 0
        let (directory, movedAside) = try clusterDirectory(for: directory, runAsPostgres: runAsPostgres)
        if movedAside {
            logger.notice(
                "the postgres user cannot reach the data directory; the embedded cluster is kept where it can",
                metadata: [LogKey.postgresDirectory: "\(directory)"])
        }
        let data = directory + "/data"
        let wrap: ([String]) -> (String, [String]) = { command in
            runAsPostgres
                ? ("/usr/bin/setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups"] + command)
                : (command[0], Array(command.dropFirst()))
        }
        let passwordFile = directory + "/superuser.password"
        let password = try EmbeddedPassword.readOrCreate(at: passwordFile)
        if runAsPostgres { try ChildProcess.runToCompletion("/bin/chown", ["postgres:postgres", passwordFile], what: "chown \(passwordFile)") }
        if !FileManager.default.fileExists(atPath: data + "/PG_VERSION") {
            logger.info("creating the embedded PostgreSQL cluster", metadata: [LogKey.postgresData: "\(data)"])
            let (program, arguments) = wrap([
                bin + "/initdb", "-D", data, "-U", "postgres", "--auth=scram-sha-256", "--pwfile=" + passwordFile,
                "-E", "UTF8", "--locale=C.UTF-8",
            ])
            try ChildProcess.runToCompletion(program, arguments, what: "initdb")
        }
        try stopLeftoverServer(data: data, logger: logger)
        let port = try FreePort.loopback()
        let (program, arguments) = wrap([
            bin + "/postgres", "-D", data, "-p", String(port), "-k", directory, "-c", "listen_addresses=127.0.0.1",
        ])
        let child = try ChildProcess(executable: program, arguments: arguments, logPath: directory + "/postgres.log")
        let server = EmbeddedPostgres(port: port, password: password, child: child)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if (try? ChildProcess.runToCompletion(bin + "/pg_isready", ["-q", "-h", "127.0.0.1", "-p", String(port)], what: "pg_isready")) != nil {
                logger.debug("embedded PostgreSQL ready", metadata: [LogKey.postgresPort: "\(port)"])
                return server
            }
            guard child.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        await child.stop(signal: SIGINT)
        throw EmbeddedServerError(code: .notReady, message: "PostgreSQL in \(data) did not start:\n\(child.logTail())")
    }

    private init(port: Int, password: String, child: ChildProcess) {
        self.port = port
        self.password = password
        self.child = child
    }

    private let password: String

    /// The superuser URL of the `postgres` database (migrations, creating the Leopost database).
    public var superuserURL: String { url(database: "postgres") }

    /// The server's process id (the postmaster's, not a wrapper's).
    public var pid: Int32 { child.pid }

    /// The same server's URL for another database.
    public func url(database: String) -> String { "postgres://postgres:\(password)@127.0.0.1:\(port)/\(database)" }

    /// Stops the server with a fast shutdown (SIGINT): open transactions roll back, data is kept.
    public func stop() async {
        await child.stop(signal: SIGINT)
    }

    /// The newest PostgreSQL server binaries Debian installed.
    static func findBinDirectory() throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        let newest = versions.compactMap { Int($0) }.max()
        guard let newest, FileManager.default.isExecutableFile(atPath: "\(root)/\(newest)/bin/postgres") else {
            throw EmbeddedServerError(
                code: .binaryMissing, message: "no PostgreSQL server under \(root); run `make deps` (Debian package postgresql)")
        }
        return "\(root)/\(newest)/bin"
    }

    /// A server left running by a `leopost serve` that was killed holds the data directory's lock;
    /// it is ours (same directory), so it is stopped before a new one starts.
    private static func stopLeftoverServer(data: String, logger: Logger) throws {
        guard let text = try? String(contentsOfFile: data + "/postmaster.pid", encoding: .utf8),
            let first = text.split(separator: "\n").first, let pid = Int32(first), ChildProcess.isOurs(pid: pid, marker: data)
        else { return }
        logger.info("stopping a PostgreSQL left running on the embedded data", metadata: [LogKey.postgresPID: "\(pid)"])
        kill(pid, SIGINT)
        for _ in 0..<300 where kill(pid, 0) == 0 { usleep(50_000) }
    }
}
