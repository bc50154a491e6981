public import Hummingbird
public import Logging
import NIOCore
import ServiceLifecycle

/// Errors from ``withTestHTTPServer(router:logger:_:)`` itself, not from the code under test.
public struct TestHTTPServerError: Error, CustomStringConvertible {
    /// What went wrong while starting the server.
    public let description: String
}

/// Runs a Hummingbird server on `127.0.0.1` at a free port for the duration of `body`.
///
/// Binds port 0, learns the real port in `onServerRunning`, runs the application in a `ServiceGroup`
/// inside a task group, and triggers graceful shutdown when `body` returns or throws. Fake upstreams
/// (OpenAI, Telegram, ...) are a router plus this function.
///
/// ```swift
/// let router = Router()
/// router.get("/hello") { _, _ in "hi" }
/// try await withTestHTTPServer(router: router) { port in
///     let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/hello"))
/// }
/// ```
/// - Parameters:
///   - router: The routes to serve.
///   - logger: The server's logger; silent by default.
///   - body: The test, given the port the server listens on.
public func withTestHTTPServer<Context: RequestContext, T>(
    router: Router<Context>,
    logger: Logger = Logger(label: "leopost.test.http-server", factory: { _ in SwiftLogNoOpLogHandler() }),
    _ body: (_ port: Int) async throws -> T
) async throws -> T where Context.Source == ApplicationRequestContextSource {
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    let app = Application(
        router: router,
        configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in
            if let port = channel.localAddress?.port { portContinuation.yield(port) }
            portContinuation.finish()
        },
        logger: logger
    )
    let serviceGroup = ServiceGroup(
        configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger)
    )
    return try await withThrowingTaskGroup(of: Void.self, returning: T.self) { group in
        group.addTask {
            defer { portContinuation.finish() }
            try await serviceGroup.run()
        }
        var portIterator = ports.makeAsyncIterator()
        guard let port = await portIterator.next() else {
            try await group.next()  // surfaces the start-up error, if any
            throw TestHTTPServerError(description: "the test HTTP server stopped before it reported a port")
        }
        do {
            let result = try await body(port)
            await serviceGroup.triggerGracefulShutdown()
            try await group.waitForAll()
            return result
        } catch {
            await serviceGroup.triggerGracefulShutdown()
            try? await group.waitForAll()
            throw error
        }
    }
}
