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
        try await withTestHTTPServer(router: FakeOpenAI.router()) { port in
            try await HTTPClient.withHTTPClient(logger: logger) { http in
                let redis = RedisClient(url: redisURL, logger: logger)
                let endpoint = ProviderEndpoint(baseURL: "http://127.0.0.1:\(port)/v1", apiKey: "sk-test")
                let chain = ProviderChain(
                    entries: [.init(name: "soak-openai", provider: OpenAIProvider(configuration: endpoint, http: http), model: "bench")],
                    breaker: CircuitBreaker(redis: redis)
                )
                let ledger = BudgetLedger(redis: redis)
                let tenant = TenantID.random()
                let limits = BudgetLimits(tenantDaily: .max / 4, tenantMonthly: .max / 4, userDaily: .max / 4)
                let price = PriceTable.shipped.price(provider: "openai", model: "gpt-4o-mini", on: "2025-10-01")!
                let request = ChatRequest(model: "bench", messages: [.init(role: .user, content: "hi")], maxTokens: 256)
                @Sendable func call() async throws {
                    let held = try await ledger.reserve(tenant: tenant, user: "soak", amount: price.worstCase(inputTokens: 10, maxTokens: 256), limits: limits)
                    var meter = UsageMeter(estimatedInputTokens: 10)
                    for try await event in try await chain.start(request).events { meter.observe(event) }
                    try await ledger.settle(held, actual: price.cost(of: meter.charge.usage))
                }
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
                lines.append(String(format: "chain soak: %d streamed calls in %.1f s (%.0f calls/s)", calls, seconds(ContinuousClock.now - start), Double(calls) / seconds(ContinuousClock.now - start)))
                await redis.close()
                return lines
            }
        }
    }

    /// This process's resident set size, from /proc.
    static func residentKiB() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
}
