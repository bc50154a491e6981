import Foundation
import Hummingbird
import LeopostCore
import LeopostProviders
import LeopostTestSupport
import Logging

/// The chain's own cost per call: a streamed answer of 20 deltas from a local fake OpenAI, read
/// (1) straight off the HTTP client and (2) through OpenAIProvider + ProviderChain with the
/// circuit breaker, a budget reservation and its settlement. The difference of the two is what
/// Leopost adds on top of the provider's own time.
enum ChainBenchmark {
    /// What both chain benchmarks measure: one call through the chain with the budget around it.
    struct Setup: Sendable {
        let http: HTTPClient
        let port: Int
        let chain: ProviderChain
        let ledger: BudgetLedger
        let tenant = TenantID.random()
        let limits = BudgetLimits(tenantDaily: .max / 4, tenantMonthly: .max / 4, userDaily: .max / 4)
        let price = PriceTable.shipped.price(provider: "openai", model: "gpt-4o-mini", on: "2025-10-01")!
        let request = ChatRequest(model: "bench", messages: [.init(role: .user, content: "hi")], maxTokens: 256)

        /// Reserve the worst case, stream the answer through the chain while metering it, settle.
        func call() async throws {
            let held = try await ledger.reserve(
                tenant: tenant, user: "bench", amount: price.worstCase(inputTokens: 10, maxTokens: 256), limits: limits)
            var meter = UsageMeter(estimatedInputTokens: 10)
            for try await event in try await chain.start(request).events { meter.observe(event) }
            try await ledger.settle(held, actual: price.cost(of: meter.charge.usage))
        }
    }

    /// Runs `body` with a chain to the local fake OpenAI (20 deltas per answer) and a circuit breaker.
    static func withSetup<T: Sendable>(redisURL: RedisURL, logger: Logger, _ body: @Sendable (Setup) async throws -> T) async throws -> T {
        try await withTestHTTPServer(router: FakeOpenAI.router()) { port in
            try await HTTPClient.withHTTPClient(logger: logger) { http in
                let redis = RedisClient(url: redisURL, logger: logger)
                let endpoint = ProviderEndpoint(baseURL: "http://127.0.0.1:\(port)/v1", apiKey: "sk-test")
                let chain = ProviderChain(
                    entries: [.init(name: "bench-openai", provider: OpenAIProvider(configuration: endpoint, http: http), model: "bench")],
                    breaker: CircuitBreaker(redis: redis)
                )
                do {
                    let result = try await body(Setup(http: http, port: port, chain: chain, ledger: BudgetLedger(redis: redis)))
                    await redis.close()
                    return result
                } catch {
                    await redis.close()
                    throw error
                }
            }
        }
    }

    static func run(redisURL: RedisURL, calls: Int, logger: Logger) async throws -> [String] {
        try await withSetup(redisURL: redisURL, logger: logger) { setup in
            let http = setup.http
            let port = setup.port
            let body = Array(
                try JSONSerialization.data(withJSONObject: [
                    "model": "bench", "stream": true, "stream_options": ["include_usage": true], "messages": [["role": "user", "content": "hi"]],
                ]))
            let raw = HTTPClientRequest(
                method: "POST", url: "http://127.0.0.1:\(port)/v1/chat/completions",
                headers: ["Authorization": "Bearer sk-test", "Content-Type": "application/json"], body: body
            )
            func direct() async throws {
                let response = try await http.stream(raw)
                for try await _ in response.body {}
            }
            func throughChain() async throws { try await setup.call() }
            for _ in 0..<200 {  // warm up connections and script caches
                try await direct()
                try await throughChain()
            }
            let directTimes = try await measure(calls) { try await direct() }
            let chainTimes = try await measure(calls) { try await throughChain() }
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<16 {
                    group.addTask { for _ in stride(from: lane, to: calls, by: 16) { try await throughChain() } }
                }
                try await group.waitForAll()
            }
            let rate = Double(calls) / seconds(ContinuousClock.now - start)
            let overhead50 = percentile(chainTimes, 0.5) - percentile(directTimes, 0.5)
            let overhead99 = percentile(chainTimes, 0.99) - percentile(directTimes, 0.99)
            return [
                String(
                    format:
                        "streamed answer (20 deltas), sequential, %d calls: direct HTTP p50 %.3f ms p99 %.3f ms; through chain p50 %.3f ms p99 %.3f ms",
                    calls, percentile(directTimes, 0.5), percentile(directTimes, 0.99), percentile(chainTimes, 0.5), percentile(chainTimes, 0.99)),
                String(
                    format: "chain overhead per call (chain + breaker + budget reserve/settle, minus direct): p50 %.3f ms, p99 %.3f ms", overhead50,
                    overhead99),
                String(format: "through the chain, 16 concurrent: %.0f calls/s (fake provider, Redis and the bench share the 2 cores)", rate),
            ]
        }
    }

    static func measure(_ calls: Int, _ body: () async throws -> Void) async throws -> [Double] {
        var times: [Double] = []
        times.reserveCapacity(calls)
        for _ in 0..<calls {
            let begin = ContinuousClock.now
            try await body()
            times.append(seconds(ContinuousClock.now - begin) * 1000)
        }
        return times.sorted()
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }
}
