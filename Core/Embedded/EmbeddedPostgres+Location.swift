import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension EmbeddedPostgres {
    /// Where the private directories of clusters the `postgres` user cannot keep in the data
    /// directory go.
    static let fallbackRoot = "/var/lib/leopost"

    /// The directory the cluster lives in: `directory` itself, unless Leopost runs as root and the
    /// `postgres` user (which runs initdb and the server) cannot reach it, as when the clone is
    /// under root's home or a `mktemp -d` directory (mode 0700). Then the cluster goes to a
    /// directory of its own under `/var/lib/leopost/`, named by a hash of `directory` (so each
    /// checkout keeps its own cluster across restarts) and recorded in `directory/cluster-location`.
    static func clusterDirectory(for directory: String, runAsPostgres: Bool) throws -> (path: String, movedAside: Bool) {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        guard runAsPostgres else { return (directory, false) }
        let record = directory + "/cluster-location"
        if let recorded = try? String(contentsOfFile: record, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
            FileManager.default.fileExists(atPath: recorded)
        {
            return (recorded, true)
        }
        try ChildProcess.runToCompletion("/bin/chown", ["postgres:postgres", directory], what: "chown \(directory)")
        if postgresCanUse(directory) { return (directory, false) }
        let aside = fallbackRoot + "/" + String(SHA256.hexDigest(directory).prefix(16))
        do {
            try FileManager.default.createDirectory(atPath: fallbackRoot, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            try FileManager.default.createDirectory(atPath: aside, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try ChildProcess.runToCompletion("/bin/chown", ["postgres:postgres", aside], what: "chown \(aside)")
            try (aside + "\n").write(toFile: record, atomically: true, encoding: .utf8)
        } catch {
            throw EmbeddedServerError(
                code: .startFailed,
                message: """
                    PostgreSQL runs as the postgres user, which cannot reach \(directory) (a parent directory is private, \
                    like root's home or a mktemp -d directory), and \(aside) could not be made instead: \(error). Set \
                    LEOPOST_DATA_DIR to a directory the postgres user can reach, or LEOPOST_DATABASE_URL to a server of your own
                    """)
        }
        return (aside, true)
    }

    /// Whether the `postgres` user can enter and write `directory` (every parent must let it through).
    private static func postgresCanUse(_ directory: String) -> Bool {
        (try? ChildProcess.runToCompletion(
            "/usr/bin/setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "/usr/bin/test", "-w", directory, "-a", "-x", directory],
            what: "test")) != nil
    }
}
