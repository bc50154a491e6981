import Foundation
public import LeopostCore
public import Logging

/// What `make test` hands the tests: the URLs of the throwaway servers it started.
///
/// A test that needs a server reads it here and fails with a clear message when the variable
/// is missing (run the tests through `make test`), instead of silently skipping.
public enum TestEnvironment {
    /// The shared test redis-server (`LEOPOST_TEST_REDIS_URL`).
    public static func redisURL() throws -> RedisURL {
        try RedisURL(try variable("LEOPOST_TEST_REDIS_URL"))
    }

    /// The shared test PostgreSQL's superuser URL (`LEOPOST_TEST_DATABASE_URL`).
    public static func databaseURL() throws -> String {
        try variable("LEOPOST_TEST_DATABASE_URL")
    }

    /// The egress guard tests run under: loopback is open, as an operator's
    /// `LEOPOST_EGRESS_ALLOW=127.0.0.0/8,::1` would open it, so requests reach the local fakes; the
    /// test Redis and PostgreSQL ports stay shut, as a deployment's own servers do.
    public static func egress() -> EgressGuard {
        var ports: Set<Int> = []
        if let redis = try? redisURL() { ports.insert(redis.port) }
        if let database = try? PostgresConfiguration(url: databaseURL()) { ports.insert(database.port) }
        return EgressGuard(allowances: [EgressAllowance("127.0.0.0/8")!, EgressAllowance("::1")!], protectedPorts: ports)
    }

    /// An HTTP client configuration under ``egress()``.
    public static func httpConfiguration() -> HTTPClient.Configuration {
        HTTPClient.Configuration(egress: egress())
    }

    /// Policy rules under ``egress()``, with no `env:` variable readable.
    public static func policyRules() -> PolicyParser.Rules {
        PolicyParser.Rules(egress: egress())
    }

    /// A logger for tests: warnings and worse only, so expected retries do not flood the output.
    public static func logger(_ label: String = "leopost.test") -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = .warning
        return logger
    }

    /// A name no other test uses, for stages, tenants and databases.
    public static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// A fresh temporary directory, readable by the postgres user (for embedded servers).
    public static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "leopost-test-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        return path
    }

    private static func variable(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw TestEnvironmentError(message: "\(name) is not set: run the tests with `make test`, which starts the servers")
        }
        return value
    }
}

/// A test was run without the servers `make test` provides.
public struct TestEnvironmentError: Error, CustomStringConvertible {
    /// What is missing and how to run the tests.
    public let message: String
    public var description: String { message }

    /// Creates the error.
    public init(message: String) { self.message = message }
}
