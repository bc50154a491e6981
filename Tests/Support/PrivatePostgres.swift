import Foundation
import LeopostCore

/// A PostgreSQL server of the test's own, so it can be stopped and started again without touching
/// the one every other test shares: `initdb` into a temporary directory (as `postgres` when the
/// tests run as root, since initdb refuses root), then `postgres` on a free loopback port.
public final class PrivatePostgres: @unchecked Sendable {
    /// The port it listens on, the same across restarts.
    public let port: Int
    private let directory: String
    private let bin: String
    private let asPostgres: [String]
    private var process: Process?

    /// Creates the cluster (not started); the binaries are those `scripts/with-test-servers.sh` found.
    public init() throws {
        port = try FreePort.loopback()
        directory = try TestEnvironment.temporaryDirectory()
        bin = ProcessInfo.processInfo.environment["LEOPOST_PG_BIN"] ?? "/usr/lib/postgresql/15/bin"
        asPostgres = getuid() == 0 ? ["/usr/bin/setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"] : []
        if getuid() == 0 {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory)
            try run(["/bin/chown", "postgres:postgres", directory], asPostgres: false)
        }
        try run(["\(bin)/initdb", "-D", "\(directory)/data", "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])
    }

    /// The superuser's URL.
    public var url: String { "postgres://postgres@127.0.0.1:\(port)/postgres" }

    /// Starts the server and waits until it takes connections.
    public func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: asPostgres.first ?? "\(bin)/postgres")
        process.arguments =
            Array(asPostgres.dropFirst()) + (asPostgres.isEmpty ? [] : ["\(bin)/postgres"])
            + ["-D", "\(directory)/data", "-p", "\(port)", "-k", directory, "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=100"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        try await eventually("PostgreSQL to take connections", timeout: .seconds(30)) {
            (try? self.run(["\(self.bin)/pg_isready", "-q", "-h", "127.0.0.1", "-p", "\(self.port)"], asPostgres: false)) != nil
        }
    }

    /// Stops the server as an operator's restart does (`pg_ctl stop -m fast`: sessions are ended,
    /// open transactions rolled back) and waits until it is gone.
    public func stop() {
        guard let process else { return }
        try? run(["\(bin)/pg_ctl", "-D", "\(directory)/data", "-m", "fast", "-w", "stop"])
        process.waitUntilExit()
        self.process = nil
    }

    private func run(_ arguments: [String], asPostgres: Bool = true) throws {
        let process = Process()
        let command = (asPostgres ? self.asPostgres : []) + arguments
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestEnvironmentError(message: "\(arguments[0]) exited with \(process.terminationStatus)")
        }
    }
}
