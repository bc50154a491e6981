import Foundation
import LeopostCore
import Logging

// `make bench` runs this against the redis-server and PostgreSQL that scripts/with-test-servers.sh started.
var logger = Logger(label: "leopost.bench")
logger.logLevel = .error
guard let redisText = ProcessInfo.processInfo.environment["LEOPOST_TEST_REDIS_URL"] else {
    FileHandle.standardError.write(Data("LEOPOST_TEST_REDIS_URL is not set: run `make bench`\n".utf8))
    exit(2)
}
let environment = ProcessInfo.processInfo.environment
let redisURL = try RedisURL(redisText)
let jobs = Int(environment["LEOPOST_BENCH_JOBS"] ?? "") ?? 20_000
let soakCalls = Int(environment["LEOPOST_BENCH_SOAK_CALLS"] ?? "") ?? 100_000
let only = environment["LEOPOST_BENCH_ONLY"]  // e.g. "chat" to run one part
/// The PostgreSQL pool a `leopost` server opens (App/Database.swift): the benchmarks use the same.
let serverPoolSize = 16
func wanted(_ part: String) -> Bool { only == nil || only == part }

if wanted("stage") {
    print(try await StageBenchmark.run(redisURL: redisURL, jobs: jobs, workers: 1, ordered: false, logger: logger))
    print(try await StageBenchmark.run(redisURL: redisURL, jobs: jobs, workers: 2, ordered: false, logger: logger))
    print(try await StageBenchmark.run(redisURL: redisURL, jobs: jobs, workers: 2, ordered: true, logger: logger))
}
if wanted("redis") { for line in try await RedisClientBenchmark.run(redisURL: redisURL, calls: 20_000, logger: logger) { print(line) } }
if wanted("http") { print(try await HTTPClientBenchmark.run(requests: 20_000, concurrency: 32, logger: logger)) }
if wanted("chain") { for line in try await ChainBenchmark.run(redisURL: redisURL, calls: 3_000, logger: logger) { print(line) } }
if wanted("chat") { for line in try await ChatBenchmark.run(messages: 3_000, rate: 50, seconds: 10, logger: logger) { print(line) } }
if wanted("tools") { for line in try await ToolStepBenchmark.run(messages: 300, logger: logger) { print(line) } }
if wanted("soak") { for line in try await ChainSoak.run(redisURL: redisURL, calls: soakCalls, logger: logger) { print(line) } }
if wanted("publish") { for line in try await PublishBenchmark.run(posts: 2_000, scheduled: 100_000, logger: logger) { print(line) } }
// The no-op plugin's figure alone, for profiling the publish path.
if only == "publish-noop" { print(try await PublishBenchmark.throughput(posts: PublishBenchmark.noopPosts, platform: "noop", logger: logger)) }
