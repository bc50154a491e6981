import Foundation
import LeopostCore
import Logging
import ServiceLifecycle

/// Entries per second through a stage whose handler does nothing: the runtime's own cost
/// (read, admit, ack — three Redis round trips per job) with 1 and 2 workers.
enum StageBenchmark {
    static func run(redisURL: RedisURL, jobs: Int, workers: Int, ordered: Bool, logger: Logger) async throws -> String {
        let redis = RedisClient(url: redisURL, logger: logger)
        let stage = "bench-\(UUID().uuidString.prefix(6))"
        let queue = StageQueue(stage: stage, redis: redis)
        let enqueueStart = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            let lanes = 16
            for lane in 0..<lanes {
                group.addTask {
                    for index in stride(from: lane, to: jobs, by: lanes) {
                        try await queue.enqueue("{\"n\":\(index)}", orderingKey: ordered ? "conversation-\(index % 64)" : nil)
                    }
                }
            }
            try await group.waitForAll()
        }
        let enqueueSeconds = seconds(ContinuousClock.now - enqueueStart)
        let handler = ClosureStageHandler { _ in }
        let services = (0..<workers).map { index in
            StageWorker(
                stage: stage, redis: redis, handler: handler,
                configuration: .init(concurrency: 32, consumerName: "bench-\(index)"), logger: logger
            )
        }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [], logger: logger))
        let start = ContinuousClock.now
        let elapsed = try await withThrowingTaskGroup(of: Duration?.self) { tasks in
            tasks.addTask {
                try await group.run()
                return nil
            }
            tasks.addTask {
                while true {
                    let info = try await redis.send(RedisCommand("XINFO", "GROUPS", queue.keys.stream))
                    if let fields = info.array?.first?.array, let entries = field("entries-read", in: fields), entries >= jobs,
                        let pending = field("pending", in: fields), pending == 0
                    {
                        return ContinuousClock.now - start
                    }
                    try await Task.sleep(for: .milliseconds(5))
                }
            }
            var result: Duration = .zero
            for try await value in tasks {
                if let value {
                    result = value
                    await group.triggerGracefulShutdown()
                }
            }
            return result
        }
        try await redis.send(RedisCommand("DEL", queue.keys.stream))
        await redis.close()
        let rate = Double(jobs) / seconds(elapsed)
        return String(
            format: "stage no-op %@, %d worker(s) x32: %d jobs in %.2f s = %.0f jobs/s   (enqueue: %.0f jobs/s from 16 tasks)",
            ordered ? "ordered (64 keys)" : "unordered", workers, jobs, seconds(elapsed), rate, Double(jobs) / enqueueSeconds
        )
    }

    private static func field(_ name: String, in fields: [RedisReply]) -> Int? {
        var index = 0
        while index + 1 < fields.count {
            if fields[index].string == name { return fields[index + 1].int }
            index += 2
        }
        return nil
    }
}

func seconds(_ duration: Duration) -> Double {
    let (s, atto) = duration.components
    return Double(s) + Double(atto) / 1e18
}
