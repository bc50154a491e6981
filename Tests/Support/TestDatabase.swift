import Foundation
public import LeopostCore
public import Logging

/// A fresh, migrated database on the test PostgreSQL for one test, dropped afterwards.
///
/// `owner` connects as the superuser that ran the migrations (as `leopost migrate` does);
/// `app` connects the way the server does, as `leopost_app`, which owns nothing and is bound
/// by row-level security.
public struct TestDatabase: Sendable {
    /// The migrating (owner) connection pool.
    public let owner: PostgresPool
    /// The server's pool: `SET ROLE leopost_app` on every connection.
    public let app: PostgresPool
    /// The database's superuser URL.
    public let url: String

    /// Creates a database, migrates it, runs `body`, then drops it.
    /// - Parameter appConnections: The app pool's size: small for tests (many run at once), the
    ///   server's own (16) for benchmarks, which measure what a server would do.
    /// - Parameter server: the superuser URL of the server to use; the shared test server by default
    ///   (a test that restarts PostgreSQL brings its own, ``PrivatePostgres``).
    public static func with<T: Sendable>(
        logger: Logger, appConnections: Int = 4, server: String? = nil, _ body: (TestDatabase) async throws -> T
    ) async throws -> T {
        let serverURL = try server ?? TestEnvironment.databaseURL()
        let admin = PostgresPool(configuration: try PostgresConfiguration(url: serverURL), logger: logger)
        let name = "leopost_test_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        try await admin.execute(SQL(unsafe: "CREATE DATABASE \(name)"))
        var ownerConfiguration = try PostgresConfiguration(url: serverURL)
        ownerConfiguration.database = name
        ownerConfiguration.maxConnections = 2
        // The whole suite shares two cores: a pool's wait is not bounded here, or a busy moment would
        // fail a test on a timing (the limit itself is tested on its own).
        ownerConfiguration.poolWaitTimeout = nil
        var appConfiguration = ownerConfiguration
        appConfiguration.role = "leopost_app"
        appConfiguration.maxConnections = appConnections
        let database = TestDatabase(
            owner: PostgresPool(configuration: ownerConfiguration, logger: logger),
            app: PostgresPool(configuration: appConfiguration, logger: logger),
            url: ownerConfiguration.description
        )
        do {
            try await MigrationRunner(logger: logger).migrate(database.owner)
            let result = try await body(database)
            await database.close(admin: admin, name: name)
            return result
        } catch {
            await database.close(admin: admin, name: name)
            throw error
        }
    }

    private func close(admin: PostgresPool, name: String) async {
        await owner.close()
        await app.close()
        _ = try? await admin.execute(SQL(unsafe: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
        await admin.close()
    }
}
