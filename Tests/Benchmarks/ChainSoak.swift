import Foundation
import LeopostCore
import LeopostProviders
import LeopostTestSupport
import Logging

/// 100,000 streamed calls through the provider chain (OpenAI adapter over HTTP to the local fake,
/// circuit breaker, budget reserve and settle, usage metering), 16 at a time, printing the
/// process's resident memory at the start, along the way and at the end: it must stay flat.
enum ChainSoak {
    static func run(redisURL: RedisURL, calls: Int, logger: Logger) async throws -> [String] {
        try await ChainBenchmark.withSetup(redisURL: redisURL, logger: logger) { setup in
            @Sendable func call() async throws { try await setup.call() }
            for _ in 0..<500 { try await call() }  // warm up: connections, script caches, allocator
            var lines = ["chain soak: RSS after warm-up \(residentKiB()) KiB"]
            let start = ContinuousClock.now
            let lanes = 16
            let checkpoints = 4
            for part in 0..<checkpoints {
                let share = calls / checkpoints
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for lane in 0..<lanes { group.addTask { for _ in stride(from: lane, to: share, by: lanes) { try await call() } } }
                    try await group.waitForAll()
                }
                lines.append("chain soak: RSS after \((part + 1) * share) calls \(residentKiB()) KiB")
            }
            lines.append(
                String(
                    format: "chain soak: %d streamed calls in %.1f s (%.0f calls/s)", calls, seconds(ContinuousClock.now - start),
                    Double(calls) / seconds(ContinuousClock.now - start)))
            return lines
        }
    }

    /// This process's resident set size, from /proc.
    static func residentKiB() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
}
