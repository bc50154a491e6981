import Foundation
import LeopostTestSupport
import Logging
import ServiceLifecycle
import Testing

@testable import LeopostCore

#if canImport(Glibc)
    import Glibc
#endif

@Suite("HTTPClient: failures, timeouts, cancellation, shutdown")
struct HTTPClientFailureTests {
    let logger = HTTPTestRoutes.logger

    @Test func refusedConnectionIsConnectionFailed() async throws {
        let port = try FreePort.loopback()
        await HTTPClient.withHTTPClient(logger: logger) { client in
            let error = await #expect(throws: HTTPClientError.connectionFailed) {
                try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"))
            }
            #expect(error?.message.contains("127.0.0.1:\(port)") == true)
        }
    }

    @Test func slowHeadersAreFirstByteTimeout() async throws {
        try await withTestHTTPServer(router: HTTPTestRoutes.router()) { port in
            let configuration = HTTPClient.Configuration(firstByteTimeout: .milliseconds(300))
            await HTTPClient.withHTTPClient(configuration: configuration, logger: logger) { client in
                await #expect(throws: HTTPClientError.firstByteTimeout) {
                    try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/slow"))
                }
                await #expect(throws: HTTPClientError.firstByteTimeout) {
                    try await client.stream(HTTPClientRequest(url: "http://127.0.0.1:\(port)/slow"))
                }
            }
        }
    }

    @Test func pastDeadlineIsTotalTimeout() async throws {
        try await withTestHTTPServer(router: HTTPTestRoutes.router()) { port in
            await HTTPClient.withHTTPClient(logger: logger) { client in
                let request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/slow", deadline: .now + .milliseconds(300))
                await #expect(throws: HTTPClientError.totalTimeout) { try await client.execute(request) }
            }
        }
    }

    @Test(arguments: ["/big", "/big-chunked"])
    func bodyOverTheLimitIsBodyTooLarge(path: String) async throws {
        try await withTestHTTPServer(router: HTTPTestRoutes.router()) { port in
            let configuration = HTTPClient.Configuration(maxResponseBodySize: 1024)
            try await HTTPClient.withHTTPClient(configuration: configuration, logger: logger) { client in
                await #expect(throws: HTTPClientError.bodyTooLarge) {
                    try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"))
                }
                // The client stays usable afterwards.
                let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/hello"))
                #expect(response.status == 200)
            }
        }
    }

    @Test(arguments: ["not a url", "ftp://127.0.0.1/file", "http://exa mple.com/", "file:///etc/passwd", "//127.0.0.1/x", ""])
    func malformedURLIsInvalidURL(url: String) async throws {
        await HTTPClient.withHTTPClient(logger: logger) { client in
            _ = await #expect(throws: HTTPClientError.invalidURL) { try await client.execute(HTTPClientRequest(url: url)) }
        }
    }

    @Test func headerInjectionIsInvalidRequest() async throws {
        await HTTPClient.withHTTPClient(logger: logger) { client in
            let badValue = HTTPClientRequest(url: "http://127.0.0.1:1/", headers: ["X-Test": "a\r\nX-Evil: 1"])
            await #expect(throws: HTTPClientError.invalidRequest) { try await client.execute(badValue) }
            let badName = HTTPClientRequest(url: "http://127.0.0.1:1/", headers: ["Bad Name": "x"])
            await #expect(throws: HTTPClientError.invalidRequest) { try await client.execute(badName) }
            let badMethod = HTTPClientRequest(method: "GET /x", url: "http://127.0.0.1:1/")
            await #expect(throws: HTTPClientError.invalidRequest) { try await client.execute(badMethod) }
        }
    }

    @Test func cancellingTheTaskAbortsPromptly() async throws {
        try await withTestHTTPServer(router: HTTPTestRoutes.router()) { port in
            await HTTPClient.withHTTPClient(logger: logger) { client in
                let task = Task { try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/slow")) }
                #expect(await waitUntil { client.loop.activeTransfers == 1 })
                task.cancel()
                // Had the transfer not been aborted, the server's answer ("slow") would arrive instead.
                let result = await task.result
                #expect(throws: HTTPClientError.cancelled) { try result.get() }
                #expect(await waitUntil { client.loop.activeTransfers == 0 })
            }
        }
    }

    @Test func alreadyCancelledTaskFailsWithoutSending() async throws {
        await HTTPClient.withHTTPClient(logger: logger) { client in
            let task = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:1/"))
            }
            await #expect(throws: HTTPClientError.cancelled) { try await task.value }
        }
    }

    @Test func shutdownFailsInFlightAndLaterRequests() async throws {
        try await withTestHTTPServer(router: HTTPTestRoutes.router()) { port in
            let client = HTTPClient(logger: logger)
            let inFlight = Task { try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/slow")) }
            #expect(await waitUntil { client.loop.activeTransfers == 1 })
            await client.shutdown()
            await #expect(throws: HTTPClientError.shutdown) { try await inFlight.value }
            await #expect(throws: HTTPClientError.shutdown) {
                try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/hello"))
            }
            await #expect(throws: HTTPClientError.shutdown) {
                try await client.stream(HTTPClientRequest(url: "http://127.0.0.1:\(port)/hello"))
            }
            await client.shutdown()  // a second call is harmless
        }
    }

    @Test func runsAsAServiceUntilGracefulShutdown() async throws {
        let client = HTTPClient(logger: logger)
        let group = ServiceGroup(configuration: .init(services: [client], gracefulShutdownSignals: [], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await withTestHTTPServer(router: HTTPTestRoutes.router()) { port in
                let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/hello"))
                #expect(response.status == 200)
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        await #expect(throws: HTTPClientError.shutdown) {
            try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:1/"))
        }
    }

    @Test func droppingAClientWithoutShutdownDoesNotCrash() async throws {
        try await withTestHTTPServer(router: HTTPTestRoutes.router()) { port in
            var client: HTTPClient? = HTTPClient(logger: logger)
            let response = try await client?.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/hello"))
            #expect(response?.status == 200)
            client = nil
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test func loopThreadsExitOnShutdownAndWhenDropped() async throws {
        // Threads of a name of this test's own, so other suites' clients running meanwhile are not counted.
        let configuration = HTTPClient.Configuration(threadName: "lp-http-leak")
        for _ in 0..<20 {
            let client = HTTPClient(configuration: configuration, logger: logger)
            await client.shutdown()
        }
        for _ in 0..<20 {
            _ = HTTPClient(configuration: configuration, logger: logger)  // dropped at once: the thread stops and detaches itself
        }
        #expect(await waitUntil { threadCount() == 0 }, "loop threads left: \(threadCount())")
    }

    private func threadCount() -> Int {
        // FileManager, not readdir: copying a `dirent` out of readdir's buffer reads a full
        // 256-byte name past a short record, which can touch an unmapped page.
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.filter { task in
            let comm = try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8)
            return comm?.trimmingCharacters(in: .whitespacesAndNewlines) == "lp-http-leak"
        }.count
    }
}
