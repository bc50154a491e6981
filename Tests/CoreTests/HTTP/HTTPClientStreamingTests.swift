import LeopostTestSupport
import Testing

@testable import LeopostCore

@Suite("HTTPClient: streaming")
struct HTTPClientStreamingTests {
    let logger = HTTPTestRoutes.logger

    @Test func chunksArriveAsTheServerWritesThem() async throws {
        let gate = TestGate()
        try await withTestHTTPServer(router: HTTPTestRoutes.router(streamGate: gate)) { port in
            try await HTTPClient.withHTTPClient(logger: logger) { client in
                let response = try await client.stream(HTTPClientRequest(url: "http://127.0.0.1:\(port)/stream"))
                #expect(response.status == 200)
                #expect(response.headers.first(name: "content-type") == "text/event-stream")
                var received: [UInt8] = []
                var firstChunkAt: ContinuousClock.Instant?
                for try await chunk in response.body {
                    if firstChunkAt == nil {
                        firstChunkAt = .now
                        // The server sends nothing more until this gate opens (or 5 s pass).
                        gate.open()
                    }
                    received += chunk
                }
                #expect(String(decoding: received, as: UTF8.self) == "data: one\n\ndata: two\n\ndata: three\n\n")
                #expect(gate.openedInTime == true, "the first chunk only reached the client after the server gave up waiting")
                let lastWriteAt = try #require(gate.lastWriteAt)
                #expect(try #require(firstChunkAt) < lastWriteAt)
            }
        }
    }

    @Test func slowConsumerPausesTheTransferInsteadOfBuffering() async throws {
        try await withTestHTTPServer(router: HTTPTestRoutes.router()) { port in
            let configuration = HTTPClient.Configuration(streamBufferSize: 64 * 1024)
            try await HTTPClient.withHTTPClient(configuration: configuration, logger: logger) { client in
                let response = try await client.stream(HTTPClientRequest(url: "http://127.0.0.1:\(port)/large-stream"))
                var count = 0
                var intact = true
                for try await chunk in response.body {
                    if count < 512 * 1024 { try await Task.sleep(for: .milliseconds(2)) }
                    for (offset, byte) in chunk.enumerated() where byte != HTTPTestRoutes.patternByte(count + offset) {
                        intact = false
                    }
                    count += chunk.count
                }
                #expect(count == 4 * 1024 * 1024)
                #expect(intact)
                let peak = response.body.consumer.peakBufferedBytes
                #expect(peak > 32 * 1024, "the consumer never fell behind, so pausing was not exercised")
                #expect(peak <= 64 * 1024 + 64 * 1024, "buffered \(peak) bytes for a 64 KiB limit")
            }
        }
    }

    @Test func idleTimeoutMidStreamIsThrownFromTheBody() async throws {
        try await withTestHTTPServer(router: HTTPTestRoutes.router()) { port in
            let configuration = HTTPClient.Configuration(idleTimeout: .milliseconds(300))
            try await HTTPClient.withHTTPClient(configuration: configuration, logger: logger) { client in
                let response = try await client.stream(HTTPClientRequest(url: "http://127.0.0.1:\(port)/stall"))
                var received: [UInt8] = []
                let error = await #expect(throws: HTTPClientError.self) {
                    for try await chunk in response.body { received += chunk }
                }
                #expect(error?.code == .idleTimeout)
                #expect(String(decoding: received, as: UTF8.self) == "first")
                #expect(client.loop.activeTransfers == 0)
            }
        }
    }

    @Test func peerClosingMidBodyIsConnectionClosed() async throws {
        try await withTestHTTPServer(router: HTTPTestRoutes.router()) { port in
            try await HTTPClient.withHTTPClient(logger: logger) { client in
                let response = try await client.stream(HTTPClientRequest(url: "http://127.0.0.1:\(port)/drop"))
                var received: [UInt8] = []
                await #expect(throws: HTTPClientError.connectionClosed) {
                    for try await chunk in response.body { received += chunk }
                }
                #expect(String(decoding: received, as: UTF8.self) == "partial")
                await #expect(throws: HTTPClientError.connectionClosed) {
                    try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/drop"))
                }
            }
        }
    }

    @Test func totalTimeoutAppliesWhileStreaming() async throws {
        try await withTestHTTPServer(router: HTTPTestRoutes.router()) { port in
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/stall")
            request.totalTimeout = .milliseconds(400)
            _ = await HTTPClient.withHTTPClient(logger: logger) { client in
                // On a loaded machine the limit may pass before the head arrives; either way it is totalTimeout.
                await #expect(throws: HTTPClientError.totalTimeout) {
                    let response = try await client.stream(request)
                    for try await _ in response.body {}
                }
            }
        }
    }

    @Test func leavingTheLoopEarlyAbortsTheTransfer() async throws {
        try await withTestHTTPServer(router: HTTPTestRoutes.router()) { port in
            try await HTTPClient.withHTTPClient(logger: logger) { client in
                let response = try await client.stream(HTTPClientRequest(url: "http://127.0.0.1:\(port)/stall"))
                for try await chunk in response.body {
                    #expect(String(decoding: chunk, as: UTF8.self) == "first")
                    break
                }
                #expect(await waitUntil { client.loop.activeTransfers == 0 })
            }
        }
    }

    @Test func collectUpToBoundsAStreamedBody() async throws {
        try await withTestHTTPServer(router: HTTPTestRoutes.router()) { port in
            try await HTTPClient.withHTTPClient(logger: logger) { client in
                let small = try await client.stream(HTTPClientRequest(url: "http://127.0.0.1:\(port)/hello"))
                #expect(try await small.body.collect(upTo: 100) == Array("hello".utf8))
                let big = try await client.stream(HTTPClientRequest(url: "http://127.0.0.1:\(port)/big-chunked"))
                await #expect(throws: HTTPClientError.bodyTooLarge) { try await big.body.collect(upTo: 1000) }
            }
        }
    }
}

/// Polls `condition` every 10 ms for up to `limit`; for effects that happen on the loop thread.
/// The limit is generous: it ends as soon as the condition holds, and a loaded machine (the whole
/// suite on two cores) can keep the loop thread from running for seconds.
func waitUntil(within limit: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
    let end = ContinuousClock.now + limit
    while ContinuousClock.now < end {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}
