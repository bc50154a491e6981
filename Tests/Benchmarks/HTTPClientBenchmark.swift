import Foundation
import Hummingbird
import LeopostCore
import Logging
import ServiceLifecycle

/// Requests per second and latency percentiles of the libcurl client against a local
/// Hummingbird server in the same process (both share the machine's two cores).
enum HTTPClientBenchmark {
    static func run(requests: Int, concurrency: Int, logger: Logger) async throws -> String {
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
        return try await withThrowingTaskGroup(of: String?.self) { tasks in
            tasks.addTask {
                try await server.run()
                return nil
            }
            var ports = portStream.makeAsyncIterator()
            let port = await ports.next() ?? 0
            let line = try await HTTPClient.withHTTPClient(logger: logger) { client in
                // Warm the connection cache.
                _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/ping"))
                var latencies: [Duration] = []
                latencies.reserveCapacity(requests)
                let start = ContinuousClock.now
                try await withThrowingTaskGroup(of: [Duration].self) { group in
                    for lane in 0..<concurrency {
                        group.addTask {
                            var mine: [Duration] = []
                            for _ in stride(from: lane, to: requests, by: concurrency) {
                                let begin = ContinuousClock.now
                                let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/ping"))
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
                return String(
                    format: "http client GET, %d requests, %d concurrent: %.0f req/s, p50 %.2f ms, p99 %.2f ms",
                    requests, concurrency, Double(requests) / seconds(elapsed), percentile(0.50), percentile(0.99)
                )
            }
            await server.triggerGracefulShutdown()
            var result = line
            for try await value in tasks { if let value { result = value } }
            return result
        }
    }
}
