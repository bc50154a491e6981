import Foundation
import LeopostCore
import Logging

/// Leopost's own Redis client, without anything on top: the floor under every stage, budget and
/// breaker figure. Compare with `redis-benchmark PING_MBULK` in the same run.
enum RedisClientBenchmark {
    static func run(redisURL: RedisURL, calls: Int, logger: Logger) async throws -> [String] {
        let redis = RedisClient(url: redisURL, logger: logger)
        defer { Task { await redis.close() } }
        var latencies: [Duration] = []
        latencies.reserveCapacity(calls)
        for _ in 0..<calls {
            let start = ContinuousClock.now
            try await redis.send(RedisCommand("PING"))
            latencies.append(ContinuousClock.now - start)
        }
        latencies.sort()
        let p50 = latencies[latencies.count / 2]
        let p99 = latencies[latencies.count * 99 / 100]
        var lines = ["redis client, one caller: \(calls) PINGs p50 \(milliseconds(p50)) ms p99 \(milliseconds(p99)) ms"]
        for tasks in [16, 64] {
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<tasks {
                    group.addTask { for _ in 0..<(calls / tasks) { try await redis.send(RedisCommand("PING")) } }
                }
                try await group.waitForAll()
            }
            let rate = Double(calls / tasks * tasks) / seconds(ContinuousClock.now - start)
            lines.append("redis client, \(tasks) concurrent callers: \(Int(rate)) PINGs/s")
        }
        return lines
    }

    private static func milliseconds(_ duration: Duration) -> String {
        String(format: "%.3f", seconds(duration) * 1000)
    }
}
