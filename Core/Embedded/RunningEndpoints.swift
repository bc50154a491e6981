import Foundation

/// Where a running `leopost serve` can be reached, written to `<data dir>/endpoints.json` while it
/// runs, so other commands (`tenant create`, `token`, a second `gateway`) find its embedded
/// servers, whose ports change at every start.
public struct RunningEndpoints: Codable, Sendable, Equatable {
    /// Redis URL.
    public var redisURL: String
    /// PostgreSQL URL of the Leopost database (superuser of the embedded cluster).
    public var databaseURL: String
    /// The gateway's address, once it listens.
    public var httpAddress: String?
    /// The serving process.
    public var pid: Int32

    /// Creates a record.
    public init(redisURL: String, databaseURL: String, httpAddress: String?, pid: Int32) {
        self.redisURL = redisURL
        self.databaseURL = databaseURL
        self.httpAddress = httpAddress
        self.pid = pid
    }

    static func path(in directory: String) -> String { directory + "/endpoints.json" }

    /// The record of a serve that is still running, if any.
    public static func read(dataDirectory: String) -> RunningEndpoints? {
        guard let data = FileManager.default.contents(atPath: path(in: dataDirectory)),
            let endpoints = try? JSONCoding.decoder.decode(RunningEndpoints.self, from: data),
            kill(endpoints.pid, 0) == 0
        else { return nil }
        return endpoints
    }

    /// Writes the record (readable by the owner only: the URLs carry no password, but say where to knock).
    public func write(dataDirectory: String) throws {
        let data = try JSONCoding.encoder.encode(self)
        guard FileManager.default.createFile(atPath: Self.path(in: dataDirectory), contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw EmbeddedServerError(code: .startFailed, message: "could not write \(Self.path(in: dataDirectory))")
        }
    }

    /// Removes the record at shutdown.
    public static func remove(dataDirectory: String) {
        try? FileManager.default.removeItem(atPath: path(in: dataDirectory))
    }
}
