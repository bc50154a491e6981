import Foundation
import Logging
import Testing

@testable import LeopostCore

/// The real PostgreSQL the integration suites talk to, named by `LEOPOST_TEST_DATABASE_URL` (a superuser URL).
enum PostgresTestDatabase {
    static let logger = Logger(label: "leopost.test.postgres")

    /// The configuration from the environment; fails the test with a clear message when it is missing.
    static func configuration(maxConnections: Int = 4) throws -> PostgresConfiguration {
        let url = try #require(
            ProcessInfo.processInfo.environment["LEOPOST_TEST_DATABASE_URL"],
            "LEOPOST_TEST_DATABASE_URL is not set: start PostgreSQL and export postgres://postgres@127.0.0.1:PORT/postgres")
        var configuration = try PostgresConfiguration(url: url)
        configuration.maxConnections = maxConnections
        // The whole suite shares two cores: a pool's wait is not bounded here, or a busy moment
        // would fail a test on a timing (the limit itself is tested on its own).
        configuration.poolWaitTimeout = nil
        return configuration
    }

    /// Runs `body` with a fresh pool and always closes it afterwards.
    static func withPool<T>(
        _ configuration: PostgresConfiguration? = nil,
        maxConnections: Int = 4,
        _ body: (PostgresPool) async throws -> T
    ) async throws -> T {
        let pool = PostgresPool(
            configuration: try configuration ?? self.configuration(maxConnections: maxConnections), logger: logger)
        do {
            let value = try await body(pool)
            await pool.close()
            return value
        } catch {
            await pool.close()
            throw error
        }
    }

    /// A name no other test uses, for tables and roles.
    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
    }
}
