import LeopostCore
import Logging

/// The two ways the process talks to PostgreSQL: as the owner (migrations only), and as
/// `leopost_app`, the role that owns nothing and is bound by row-level security (everything else).
enum Database {
    /// The role every server connection switches to.
    static let serverRole = "leopost_app"

    /// Applies pending migrations with a short-lived owner connection.
    static func migrate(url: String, logger: Logger) async throws -> [Int] {
        var configuration = try PostgresConfiguration(url: url)
        configuration.maxConnections = 1
        // A migration may build an index over a large table, and waits on the lock other starting processes hold.
        configuration.statementTimeout = nil
        let owner = PostgresPool(configuration: configuration, logger: logger)
        do {
            let applied = try await MigrationRunner(logger: logger).migrate(owner)
            await owner.close()
            return applied
        } catch {
            await owner.close()
            throw error
        }
    }

    /// The server's pool: every connection runs `SET ROLE leopost_app`.
    static func serverPool(url: String, maxConnections: Int = 16, logger: Logger) throws -> PostgresPool {
        var configuration = try PostgresConfiguration(url: url)
        configuration.role = serverRole
        configuration.maxConnections = maxConnections
        configuration.applicationName = "leopost"
        return PostgresPool(configuration: configuration, logger: logger)
    }

    /// Runs `body` with a small server pool, closing it afterwards (one-shot commands).
    static func withServerPool<T>(url: String, logger: Logger, _ body: (PostgresPool) async throws -> T) async throws -> T {
        let pool = try serverPool(url: url, maxConnections: 2, logger: logger)
        do {
            let result = try await body(pool)
            await pool.close()
            return result
        } catch {
            await pool.close()
            throw error
        }
    }
}
