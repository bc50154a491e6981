public import Logging

/// The embedded default: a redis-server and a PostgreSQL owned by this process, with their data
/// under the data directory, started for whichever of `LEOPOST_REDIS_URL` /
/// `LEOPOST_DATABASE_URL` is not set.
public final class EmbeddedServers: Sendable {
    /// The Redis to use (embedded or given).
    public let redisURL: RedisURL
    /// The Leopost database's URL (embedded or given).
    public let databaseURL: String
    private let redis: EmbeddedRedis?
    private let postgres: EmbeddedPostgres?

    /// The database the embedded PostgreSQL keeps Leopost's data in.
    public static let databaseName = "leopost"

    /// Starts what the configuration does not name. Data lives in `<data dir>/redis` and `<data dir>/postgres`.
    public static func start(for configuration: LeopostConfiguration, logger: Logger) async throws -> EmbeddedServers {
        let directory = configuration.dataDirectory
        var redis: EmbeddedRedis?
        var postgres: EmbeddedPostgres?
        do {
            if configuration.redisURL == nil {
                redis = try await EmbeddedRedis.start(directory: directory + "/redis", logger: logger)
            }
            if configuration.databaseURL == nil {
                let server = try await EmbeddedPostgres.start(directory: directory + "/postgres", logger: logger)
                postgres = server
                try await createDatabaseIfMissing(on: server, logger: logger)
            }
        } catch {
            await redis?.stop()
            await postgres?.stop()
            throw error
        }
        return EmbeddedServers(
            redisURL: configuration.redisURL ?? redis!.url,
            databaseURL: configuration.databaseURL ?? postgres!.url(database: databaseName),
            redis: redis,
            postgres: postgres
        )
    }

    private init(redisURL: RedisURL, databaseURL: String, redis: EmbeddedRedis?, postgres: EmbeddedPostgres?) {
        self.redisURL = redisURL
        self.databaseURL = databaseURL
        self.redis = redis
        self.postgres = postgres
    }

    /// True when at least one server was started here.
    public var startedAny: Bool { redis != nil || postgres != nil }

    /// Stops what was started here: PostgreSQL first (it may still flush), then Redis.
    public func stop() async {
        await postgres?.stop()
        await redis?.stop()
    }

    private static func createDatabaseIfMissing(on server: EmbeddedPostgres, logger: Logger) async throws {
        let pool = PostgresPool(configuration: try PostgresConfiguration(url: server.superuserURL), logger: logger)
        do {
            let exists = try await pool.query("SELECT 1 FROM pg_database WHERE datname = \(databaseName)").count == 1
            if !exists {
                try await pool.execute(SQL(unsafe: "CREATE DATABASE \(databaseName)"))
            }
            await pool.close()
        } catch {
            await pool.close()
            throw error
        }
    }
}
