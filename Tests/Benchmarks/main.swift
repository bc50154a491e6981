import Foundation
import LeopostCore
import Logging

// `make bench` runs this against the redis-server that scripts/with-test-servers.sh started.
var logger = Logger(label: "leopost.bench")
logger.logLevel = .error
guard let redisText = ProcessInfo.processInfo.environment["LEOPOST_TEST_REDIS_URL"] else {
    FileHandle.standardError.write(Data("LEOPOST_TEST_REDIS_URL is not set: run `make bench`\n".utf8))
    exit(2)
}
let redisURL = try RedisURL(redisText)
let jobs = Int(ProcessInfo.processInfo.environment["LEOPOST_BENCH_JOBS"] ?? "") ?? 20_000
print(try await StageBenchmark.run(redisURL: redisURL, jobs: jobs, workers: 1, ordered: false, logger: logger))
print(try await StageBenchmark.run(redisURL: redisURL, jobs: jobs, workers: 2, ordered: false, logger: logger))
print(try await StageBenchmark.run(redisURL: redisURL, jobs: jobs, workers: 2, ordered: true, logger: logger))
print(try await HTTPClientBenchmark.run(requests: 20_000, concurrency: 32, logger: logger))
for line in try await ChainBenchmark.run(redisURL: redisURL, calls: 3_000, logger: logger) { print(line) }
