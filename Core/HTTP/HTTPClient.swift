public import Logging
public import ServiceLifecycle

/// Leopost's outbound HTTP client: libcurl's multi interface driven by one dedicated thread.
///
/// Every request of every task shares one curl multi handle, so connections are reused (HTTP/1.1
/// keep-alive, HTTP/2 multiplexing over TLS) and thousands of transfers cost no thread each. The loop thread
/// is not one of Swift's cooperative threads, so the blocking `curl_multi_poll` never starves tasks.
///
/// Run it as a `Service` placed *before* the services that use it in a `ServiceGroup` (shut down in
/// reverse order, so it outlives them), or scope it with ``withHTTPClient(configuration:logger:isolation:_:)``.
/// A client dropped without shutdown stops its thread too, failing whatever is still in flight.
///
/// ```swift
/// let response = try await client.execute(HTTPClientRequest(url: "https://api.example.com/v1/models"))
/// guard response.status == 200 else { ... }
/// ```
public final class HTTPClient: Service, Sendable {
    /// The limits and defaults this client applies.
    public let configuration: Configuration
    let loop: CurlMultiLoop
    private let logger: Logger

    /// Creates a client and starts its loop thread.
    /// - Parameters:
    ///   - configuration: Timeouts, limits and defaults.
    ///   - logger: Receives `debug` lines per request (`leopost.http.target`, `.status`, `.error`).
    public init(configuration: Configuration = Configuration(), logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.loop = CurlMultiLoop(maxConnectionsPerHost: max(0, configuration.maxConnectionsPerHost), threadName: configuration.threadName)
    }

    deinit {
        loop.stopAndDetach()
    }

    /// Sends a request and collects the whole response.
    ///
    /// Non-2xx statuses are returned, not thrown. Cancelling the calling task aborts the transfer at once
    /// and throws ``HTTPClientError/Code/cancelled``.
    /// - Throws: ``HTTPClientError``; ``HTTPClientError/Code/bodyTooLarge`` past
    ///   ``Configuration/maxResponseBodySize``.
    public func execute(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        let transfer = try await makeTransfer(request, streamBuffer: nil)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPClientResponse, any Error>) in
                transfer.setContinuation(continuation)
                if !loop.submit(transfer) { continuation.resume(throwing: shutdownError(transfer)) }
            }
        } onCancel: {
            cancel(transfer)
        }
    }

    /// Sends a request and returns as soon as the final response head arrives; the body streams after.
    ///
    /// Made for server-sent events from AI providers: chunks are handed over as they are read, a slow
    /// consumer pauses the transfer, and idle and total limits keep applying while streaming. Keep the
    /// client running until the body is consumed.
    /// - Throws: ``HTTPClientError`` for failures before the head; later ones are thrown by the body.
    public func stream(_ request: HTTPClientRequest) async throws -> HTTPClientStreamingResponse {
        let transfer = try await makeTransfer(request, streamBuffer: max(1, configuration.streamBufferSize))
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPClientStreamingResponse, any Error>) in
                transfer.setContinuation(continuation)
                if !loop.submit(transfer) { continuation.resume(throwing: shutdownError(transfer)) }
            }
        } onCancel: {
            cancel(transfer)
        }
    }

    /// Runs until graceful shutdown (or cancellation), then stops the loop: in-flight requests fail with
    /// ``HTTPClientError/Code/shutdown`` and the thread exits before this returns.
    public func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await loop.waitUntilStopped()
            } onCancel: {
                loop.requestStop()
            }
        } onGracefulShutdown: {
            self.loop.requestStop()
        }
    }

    /// Stops the client without a `ServiceGroup`: fails in-flight requests with
    /// ``HTTPClientError/Code/shutdown``, closes connections and waits for the loop thread to exit.
    /// Later requests fail with `.shutdown`. Safe to call more than once.
    public func shutdown() async {
        loop.requestStop()
        await loop.waitUntilStopped()
    }

    /// Runs `body` with a new client and shuts the client down afterwards, whether `body` returns or throws.
    /// - Parameters:
    ///   - configuration: Timeouts, limits and defaults.
    ///   - logger: The client's logger.
    ///   - isolation: The caller's actor, inherited so `body` may touch its state.
    ///   - body: Work that uses the client; do not let the client escape it.
    public static func withHTTPClient<T>(
        configuration: Configuration = Configuration(),
        logger: Logger,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (HTTPClient) async throws -> T
    ) async rethrows -> T {
        let client = HTTPClient(configuration: configuration, logger: logger)
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }

    private func makeTransfer(_ request: HTTPClientRequest, streamBuffer: Int?) async throws(HTTPClientError) -> CurlTransfer {
        var prepared = try PreparedRequest(request, configuration: configuration, now: .now)
        if case .tenant(let field) = request.egress {
            do {
                prepared.pinnedAddress = try await configuration.egress.admit(
                    host: prepared.host, port: prepared.port, field: field, target: prepared.target)
            } catch {
                logger.warning("egress refused", metadata: [LogKey.httpTarget: "\(prepared.target)", LogKey.httpError: "\(error.message)"])
                throw error
            }
        }
        return CurlTransfer(
            request: prepared,
            maxBodyBytes: max(0, min(request.maxBodySize ?? .max, configuration.maxResponseBodySize)),
            streamBuffer: streamBuffer,
            loop: loop,
            logger: logger
        )
    }

    private func cancel(_ transfer: CurlTransfer) {
        transfer.requestCancel()
        loop.send(.cancel(transfer))
    }

    private func shutdownError(_ transfer: CurlTransfer) -> HTTPClientError {
        .about(transfer.request.target, .shutdown, "the HTTP client is shut down; requests made after shutdown() always fail")
    }
}
