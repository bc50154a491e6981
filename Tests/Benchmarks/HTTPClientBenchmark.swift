import Foundation
import Hummingbird
import LeopostCore
import Logging
import ServiceLifecycle

/// Requests per second and latency percentiles of the libcurl client against a local
/// Hummingbird server in the same process (both share the machine's two cores): the operator's
/// requests, then tenants' requests through the egress guard (a literal address, judged; a name,
/// resolved with getaddrinfo, judged and pinned), with the guard's cost as a ratio to the first.
enum HTTPClientBenchmark {
    static func run(requests: Int, concurrency: Int, logger: Logger) async throws -> String {
        let plain = try await run(requests: requests, concurrency: concurrency, host: "127.0.0.1", egress: .operatorEndpoint, logger: logger)
        let literal = try await run(requests: requests, concurrency: concurrency, host: "127.0.0.1", egress: .tenant(field: "bench"), logger: logger)
        let named = try await run(requests: requests, concurrency: concurrency, host: "localhost", egress: .tenant(field: "bench"), logger: logger)
        func line(_ label: String, _ figures: Figures) -> String {
            String(
                format: "http client GET %@, %d requests, %d concurrent: %.0f req/s (%.2f of the operator's), p50 %.2f ms, p99 %.2f ms",
                label, requests, concurrency, figures.rate, figures.rate / plain.rate, figures.p50, figures.p99)
        }
        return [
            line("(operator endpoint)", plain), line("(tenant URL, literal address, egress-guarded)", literal),
            line("(tenant URL, name resolved and pinned)", named),
        ].joined(separator: "\n")
    }

    struct Figures {
        var rate: Double
        var p50: Double
        var p99: Double
    }

    static func run(requests: Int, concurrency: Int, host: String, egress: EgressTrust, logger: Logger) async throws -> Figures {
        let router = Router()
        router.get("/ping") { _, _ in "pong" }
        router.post("/echo") { request, _ in try await request.body.collect(upTo: 1 << 20) }
        let (portStream, portContinuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { portContinuation.yield($0.localAddress?.port ?? 0) },
            logger: logger
        )
        let server = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await server.run() }
            var ports = portStream.makeAsyncIterator()
            let port = await ports.next() ?? 0
            // localhost resolves to 127.0.0.1 and ::1: both opened for this port, as an operator would.
            let allowed = EgressGuard(allowances: [EgressAllowance("127.0.0.1:\(port)")!, EgressAllowance("[::1]:\(port)")!])
            var request = HTTPClientRequest(url: "http://\(host):\(port)/ping")
            request.egress = egress
            let ping = request
            let line = try await HTTPClient.withHTTPClient(configuration: .init(egress: allowed), logger: logger) { client in
                // Warm the connection cache.
                _ = try await client.execute(ping)
                var latencies: [Duration] = []
                latencies.reserveCapacity(requests)
                let start = ContinuousClock.now
                try await withThrowingTaskGroup(of: [Duration].self) { group in
                    for lane in 0..<concurrency {
                        group.addTask {
                            var mine: [Duration] = []
                            for _ in stride(from: lane, to: requests, by: concurrency) {
                                let begin = ContinuousClock.now
                                let response = try await client.execute(ping)
                                precondition(response.status == 200)
                                mine.append(.now - begin)
                            }
                            return mine
                        }
                    }
                    for try await lane in group { latencies += lane }
                }
                let elapsed = ContinuousClock.now - start
                latencies.sort()
                func percentile(_ p: Double) -> Double { seconds(latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]) * 1000 }
                return Figures(rate: Double(requests) / seconds(elapsed), p50: percentile(0.50), p99: percentile(0.99))
            }
            await server.triggerGracefulShutdown()
            for try await _ in tasks {}
            return line
        }
    }
}
