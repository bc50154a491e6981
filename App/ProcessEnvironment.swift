import Foundation
import LeopostCore
import Logging

/// What every command starts from: the configuration read once from the environment, and logging.
struct ProcessEnvironment {
    let configuration: LeopostConfiguration
    let logger: Logger

    /// Reads `LEOPOST_*` and sets up logging to standard error. Exits with the variable's name on a bad value.
    static func load() throws -> ProcessEnvironment {
        let configuration: LeopostConfiguration
        do {
            configuration = try LeopostConfiguration(environment: ProcessInfo.processInfo.environment)
        } catch let error as ConfigurationError {
            throw CommandFailure("configuration: \(error)")
        }
        let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return ProcessEnvironment(configuration: configuration, logger: Logger(label: "leopost"))
    }

    /// The PostgreSQL URL from the environment, else from a running `leopost serve`: all that the
    /// one-shot commands (`migrate`, `tenant`, `token`, `policy`, ...) need.
    func databaseURL() throws -> String {
        let running = RunningEndpoints.read(dataDirectory: configuration.dataDirectory)
        guard let database = configuration.databaseURL ?? running?.databaseURL else {
            throw CommandFailure(
                "LEOPOST_DATABASE_URL is not set and no `leopost serve` is running with data in \(configuration.dataDirectory); start one (make run) or set the URL"
            )
        }
        return database
    }

    /// What the operator lets policies name (`LEOPOST_POLICY_ENV_ALLOW`, `LEOPOST_EGRESS_ALLOW`).
    var policyRules: PolicyParser.Rules {
        PolicyParser.Rules(
            environment: ProcessInfo.processInfo.environment, egress: EgressGuard(allowances: configuration.egressAllowances))
    }

    /// Redis and PostgreSQL URLs from the environment, else from a running `leopost serve`: what the
    /// long-running commands (`gateway`, `worker`) need.
    func endpoints() throws -> (redis: RedisURL, database: String) {
        let database = try databaseURL()
        let running = RunningEndpoints.read(dataDirectory: configuration.dataDirectory)
        guard let redisText = configuration.redisURL?.description ?? running?.redisURL else {
            throw CommandFailure("LEOPOST_REDIS_URL is not set and no `leopost serve` is running with data in \(configuration.dataDirectory)")
        }
        return (try configuration.redisURL ?? RedisURL(redisText), database)
    }
}

/// A command failed in a way the user can fix; printed without a stack.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
