public import LeopostCore
public import Logging

/// Runs `body` with a client of the test Redis (`LEOPOST_TEST_REDIS_URL`) and closes the client
/// afterwards, whether `body` returns or throws.
public func withTestRedis<T>(
    configuration: RedisClient.Configuration = .init(), logger: Logger = TestEnvironment.logger(), _ body: (RedisClient) async throws -> T
) async throws -> T {
    let redis = RedisClient(url: try TestEnvironment.redisURL(), configuration: configuration, logger: logger)
    do {
        let result = try await body(redis)
        await redis.close()
        return result
    } catch {
        await redis.close()
        throw error
    }
}
