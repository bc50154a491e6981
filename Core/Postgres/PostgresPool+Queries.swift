public import Foundation
import Logging

extension PostgresPool {
    /// Runs one statement on any free connection and returns its rows.
    /// - Parameter sql: The statement; interpolated values are bound, never spliced.
    public func query(_ sql: SQL) async throws -> PostgresResult {
        try await withConnection { try $0.query(sql) }
    }

    /// Runs one statement on any free connection and returns how many rows it touched.
    /// - Parameter sql: The statement; interpolated values are bound, never spliced.
    @discardableResult
    public func execute(_ sql: SQL) async throws -> Int {
        try await withConnection { try $0.execute(sql) }
    }

    /// Runs `body` in a transaction on one connection: `BEGIN`, `COMMIT`, or `ROLLBACK` when it throws.
    ///
    /// Not for tenant data: use ``withTenantTransaction(_:_:)``, the only way to tenant rows.
    /// - Parameter body: Blocking work on the pool thread; its result is returned after the commit.
    public func withTransaction<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        try await withConnection { try $0.withTransaction(body) }
    }

    /// The door to tenant rows: a transaction in which `app.current_tenant` is `tenantID`.
    ///
    /// Sends `BEGIN` and `SELECT set_config('app.current_tenant', $1, true)` (the id a bound
    /// parameter) with the body's first statement, in its round trip, then the rest of `body`, then
    /// `COMMIT` (or `ROLLBACK` when it throws): a transaction of one statement costs two round
    /// trips (``tenantQuery(_:_:)`` does it in one, when nothing in between needs its answer). The
    /// setting is transaction-local (`SET LOCAL` semantics), so it is gone when the connection goes
    /// back to the pool; row-level security policies read it with
    /// `current_setting('app.current_tenant', true)`.
    /// - Parameters:
    ///   - tenantID: The tenant whose rows `body` may see.
    ///   - body: Blocking work on the pool thread; its result is returned after the commit.
    public func withTenantTransaction<T: Sendable>(
        _ tenantID: UUID,
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        let logger = self.logger
        return try await withConnection { connection in
            try connection.withTransaction(opening: [Self.tenantSetting(tenantID)]) { connection in
                logger.debug("PostgreSQL tenant transaction", metadata: [LogKey.tenantID: "\(tenantID)"])
                return try body(connection)
            }
        }
    }

    /// Runs `statements` in one tenant transaction in a single round trip: `BEGIN`, the tenant
    /// setting, the statements and `COMMIT` go out as one pipeline. For work whose statements do
    /// not need each other's answers (one statement with CTEs counts as one); the first failure
    /// rolls back the whole transaction.
    /// - Returns: each statement's result, in order.
    public func tenantStatements(_ tenantID: UUID, _ statements: [SQL]) async throws -> [PostgresResult] {
        try await withConnection { connection in
            let results = try connection.pipeline(["BEGIN", Self.tenantSetting(tenantID)] + statements + ["COMMIT"])
            return Array(results.dropFirst(2).dropLast())
        }
    }

    /// One statement in its own tenant transaction, in a single round trip (see
    /// ``tenantStatements(_:_:)``): what most reads and conditional updates of one row need.
    public func tenantQuery(_ tenantID: UUID, _ statement: SQL) async throws -> PostgresResult {
        try await tenantStatements(tenantID, [statement])[0]
    }

    private static func tenantSetting(_ tenantID: UUID) -> SQL {
        "SELECT set_config('app.current_tenant', \(tenantID), true)"
    }
}
