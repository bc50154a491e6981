import CLibPQ
import Foundation
public import Logging

/// One blocking libpq connection (`PGconn`).
///
/// Every call blocks its thread until the server answers, so call it from a dedicated thread or a
/// ``PostgresPool`` worker, never from Swift's cooperative pool. It has one owner at a time: it is
/// marked `@unchecked Sendable` only so the pool can hand it from thread to thread; never use one
/// connection from two threads at once. Sessions start in UTC, with ISO dates and hex `bytea`, so the
/// text decoders see one stable format.
public final class PostgresConnection: @unchecked Sendable {
    /// What it was opened with.
    public let configuration: PostgresConfiguration
    /// The `PGconn`, nil once closed.
    private(set) var handle: OpaquePointer?
    /// Receives server notices (`NOTICE: ... skipping`) so they go to the logger, not to stderr.
    private let noticeSink: NoticeSink
    let logger: Logger
    /// The statements this session has prepared (one owner at a time, like the handle).
    var statements: PostgresStatementCache
    /// What ``withTransaction(opening:_:)`` opened the transaction with (`BEGIN`, a tenant's
    /// setting), not sent yet: it goes out with the transaction's first statement, in its round trip.
    var deferredOpening: [SQL] = []

    private init(handle: OpaquePointer, configuration: PostgresConfiguration, logger: Logger) {
        self.handle = handle
        self.configuration = configuration
        self.logger = logger
        self.noticeSink = NoticeSink(logger: logger)
        self.statements = PostgresStatementCache(capacity: configuration.statementCacheCapacity)
        PQsetNoticeProcessor(
            handle,
            { context, message in
                guard let context, let message else { return }
                let sink = Unmanaged<NoticeSink>.fromOpaque(context).takeUnretainedValue()
                sink.logger.debug(
                    "PostgreSQL notice",
                    metadata: [LogKey.postgresNotice: "\(String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines))"])
            }, Unmanaged.passUnretained(noticeSink).toOpaque())
    }

    deinit { close() }

    /// Opens a connection, then runs `SET ROLE` when the configuration names a role.
    /// - Parameters:
    ///   - configuration: Where to connect; its password is sent to libpq but never appears in errors.
    ///   - logger: Receives debug lines and server notices.
    /// - Throws: ``PostgresError`` `connectionFailed` (naming `host:port/database`) or `timeout`.
    public static func connect(_ configuration: PostgresConfiguration, logger: Logger) throws -> PostgresConnection {
        let start = ContinuousClock.now
        let parameters = configuration.connectionParameters
        let handle = withCStringArray(parameters.map(\.keyword)) { keywords in
            withCStringArray(parameters.map(\.value)) { values in
                PQconnectdbParams(keywords, values, 0)  // 0: never parse dbname as a conninfo string
            }
        }
        guard let handle else {
            throw PostgresError.connectionFailed(address: configuration.address, reason: "libpq is out of memory")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let reason = errorMessage(of: handle)
            PQfinish(handle)
            if ContinuousClock.now - start >= .seconds(configuration.connectTimeoutSeconds) {
                throw PostgresError.connectTimeout(
                    address: configuration.address, seconds: configuration.connectTimeoutSeconds)
            }
            throw PostgresError.connectionFailed(address: configuration.address, reason: reason)
        }
        let connection = PostgresConnection(handle: handle, configuration: configuration, logger: logger)
        if let role = configuration.role {
            try connection.setRole(role)
        }
        logger.debug("PostgreSQL connection opened", metadata: [LogKey.postgresAddress: "\(configuration.address)"])
        return connection
    }

    /// True while libpq considers the connection usable (`PQstatus == CONNECTION_OK`).
    /// A connection whose server went away may still say true until the next call notices.
    public var isHealthy: Bool {
        guard let handle else { return false }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// Closes the connection (`PQfinish`); later calls throw `connectionLost`. Safe to call twice.
    public func close() {
        guard let handle else { return }
        self.handle = nil
        PQfinish(handle)
    }

    /// Runs `SET ROLE` with the name quoted by `PQescapeIdentifier`; closes the connection on failure.
    private func setRole(_ role: String) throws {
        guard let handle, let quoted = PQescapeIdentifier(handle, role, role.utf8.count) else {
            close()
            throw PostgresError.connectionFailed(address: configuration.address, reason: "could not quote the role name")
        }
        defer { PQfreemem(quoted) }
        do {
            try simpleQuery("SET ROLE " + String(cString: quoted))
        } catch let error as PostgresError {
            close()
            throw PostgresError(
                code: .connectionFailed,
                message: "connected to PostgreSQL at \(configuration.address) but SET ROLE failed: \(error.message)",
                sqlState: error.sqlState, detail: error.detail, hint: error.hint)
        }
    }

    /// libpq's last error text on one line, e.g. `connection to server at "127.0.0.1", port 1 failed: ...`.
    static func errorMessage(of handle: OpaquePointer) -> String {
        let raw = PQerrorMessage(handle).map { String(cString: $0) } ?? ""
        let words = raw.split(whereSeparator: { $0.isWhitespace })
        return words.isEmpty ? "unknown libpq error" : words.joined(separator: " ")
    }

    /// Calls `body` with a NULL-terminated array of C strings that live for the call.
    private static func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        let owned = strings.map { strdup($0) }
        defer { owned.forEach { free($0) } }
        let pointers = owned.map { UnsafePointer($0) } + [nil]
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

/// Carries the logger to libpq's notice callback, which gets only a raw context pointer.
private final class NoticeSink: Sendable {
    let logger: Logger
    init(logger: Logger) { self.logger = logger }
}
