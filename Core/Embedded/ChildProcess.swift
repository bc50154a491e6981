import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A program Leopost started and must stop: the embedded redis-server and PostgreSQL.
///
/// Started with `posix_spawn` rather than Foundation's `Process` for two reasons: the child gets
/// default signal dispositions and an empty signal mask (a parent that ignores SIGTERM, as signal
/// handling services do, would otherwise pass that on and the server could not be stopped), and
/// it gets its own process group, so Ctrl-C reaches only Leopost, which then stops its servers
/// in order. Output goes to a log file so a failed start can be explained by quoting it.
final class ChildProcess: Sendable {
    /// The child's process id.
    let pid: pid_t
    let logPath: String
    private let exitStatus = Mutex<Int32?>(nil)

    /// Starts `executable` with `arguments`, its output appended to `logPath`.
    init(executable: String, arguments: [String], logPath: String) throws {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw EmbeddedServerError(
                code: .binaryMissing, message: "\(executable) is not installed; run `make deps` (Debian packages redis-server, postgresql)")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        // A minimal environment: the servers need no secrets of Leopost's (master key, provider keys).
        let environment: [UnsafeMutablePointer<CChar>?] =
            ([String](["PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8"])).map { strdup($0) } + [nil]
        defer { environment.forEach { free($0) } }
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, environment)
        guard status == 0 else {
            throw EmbeddedServerError(code: .startFailed, message: "could not start \(executable): \(String(cString: strerror(status)))")
        }
        self.pid = pid
        self.logPath = logPath
    }

    /// True until the child exits (reaps it when it has).
    var isRunning: Bool {
        exitStatus.withLock { status in
            if status != nil { return false }
            var raw: Int32 = 0
            let result = waitpid(pid, &raw, WNOHANG)
            if result == pid || (result < 0 && errno == ECHILD) {
                status = raw
                return false
            }
            return true
        }
    }

    /// Sends `signal`, waits up to `timeout` for the exit, then kills it.
    func stop(signal: Int32 = SIGTERM, timeout: Duration = .seconds(15)) async {
        guard isRunning else { return }
        kill(pid, signal)
        let deadline = ContinuousClock.now + timeout
        while isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if isRunning {
            kill(pid, SIGKILL)
            while isRunning { try? await Task.sleep(for: .milliseconds(10)) }
        }
    }

    /// The last lines of the child's log, to quote in an error.
    func logTail(lines: Int = 15) -> String {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return "" }
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    /// True when `pid` is a live process whose command line mentions `marker` (a data directory):
    /// a pid file left by a crash may name a pid the system has since given to another program.
    static func isOurs(pid: Int32, marker: String) -> Bool {
        guard pid > 0, kill(pid, 0) == 0,
            let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
        else { return false }
        let commandLine = String(decoding: data.map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
        return commandLine.contains(marker)
    }

    /// Runs a short program to completion, as `run` would in a shell; throws with its output on failure.
    static func runToCompletion(_ executable: String, _ arguments: [String], what: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw EmbeddedServerError(
                code: .startFailed,
                message: "\(what) failed (exit \(process.terminationStatus)): \(String(decoding: output, as: UTF8.self).suffix(2000))"
            )
        }
    }
}
