import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The routes the HTTP client tests talk to, served by `withTestHTTPServer`.
enum HTTPTestRoutes {
    struct Greeting: Codable, Equatable, ResponseEncodable {
        var name: String
        var count: Int
    }

    /// A silent logger for client and server.
    static let logger = Logger(label: "leopost.test.http", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Byte `i` of the large streamed body, so reordering or loss is detected.
    static func patternByte(_ index: Int) -> UInt8 { UInt8(index % 251) }

    static func router(streamGate: TestGate = TestGate()) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/hello") { _, _ in "hello" }
        router.get("/n/:n") { _, context in try context.parameters.require("n") }
        router.post("/json") { request, context -> Greeting in
            let input = try await request.decode(as: Greeting.self, context: context)
            return Greeting(name: "hi \(input.name)", count: input.count + 1)
        }
        for method in [HTTPRequest.Method.post, .put, .patch, .delete] {
            router.on("/method", method: method) { request, _ -> String in
                let body = try await request.body.collect(upTo: 1 << 20)
                let contentType = request.headers[.contentType] ?? "none"
                let expect = request.headers[.expect] ?? "none"
                return "\(request.method) \(body.readableBytes) \(contentType) \(expect)"
            }
        }
        router.head("/head") { _, _ -> Response in
            Response(status: .noContent, headers: [HTTPField.Name("X-Head")!: "yes"])
        }
        router.get("/headers") { request, _ -> Response in
            var fields = HTTPFields()
            fields[HTTPField.Name("X-Echo")!] = request.headers[HTTPField.Name("x-test")!] ?? "missing"
            fields.append(HTTPField(name: HTTPField.Name("X-Multi")!, value: "one"))
            fields.append(HTTPField(name: HTTPField.Name("X-Multi")!, value: "two"))
            fields[HTTPField.Name("X-User-Agent")!] = request.headers[.userAgent] ?? "none"
            return Response(status: .ok, headers: fields)
        }
        router.get("/status/:code") { _, context -> Response in
            let code = try context.parameters.require("code", as: Int.self)
            return Response(status: .init(code: code), body: .init(byteBuffer: ByteBuffer(string: "status \(code)")))
        }
        router.get("/redirect") { _, _ -> Response in
            Response(status: .found, headers: [.location: "/hello"])
        }
        router.get("/slow") { _, _ -> String in
            // Long enough that a test on a loaded machine still sees it in flight before aborting it.
            try? await Task.sleep(for: .seconds(5))
            return "slow"
        }
        router.get("/big") { _, _ -> Response in
            Response(status: .ok, body: .init(byteBuffer: ByteBuffer(repeating: 65, count: 64 * 1024)))
        }
        router.get("/big-chunked") { _, _ -> Response in
            Response(
                status: .ok,
                body: ResponseBody { writer in
                    for _ in 0..<8 { try await writer.write(ByteBuffer(repeating: 66, count: 8 * 1024)) }
                    try await writer.finish(nil)
                })
        }
        router.get("/stream") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/event-stream"],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: "data: one\n\n"))
                    await streamGate.serverWaited(opened: streamGate.wait(timeout: .seconds(5)))
                    try await Task.sleep(for: .milliseconds(100))
                    try await writer.write(ByteBuffer(string: "data: two\n\n"))
                    try await Task.sleep(for: .milliseconds(100))
                    streamGate.markLastWrite()
                    try await writer.write(ByteBuffer(string: "data: three\n\n"))
                    try await writer.finish(nil)
                })
        }
        router.get("/stall") { _, _ -> Response in
            Response(
                status: .ok,
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: "first"))
                    try? await Task.sleep(for: .milliseconds(1500))
                    try await writer.write(ByteBuffer(string: "late"))
                    try await writer.finish(nil)
                })
        }
        router.get("/drop") { _, _ -> Response in
            Response(
                status: .ok,
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: "partial"))
                    try await Task.sleep(for: .milliseconds(50))
                    throw HTTPError(.internalServerError)  // mid-body: the server can only close the connection
                })
        }
        router.get("/large-stream") { _, _ -> Response in
            Response(
                status: .ok,
                body: ResponseBody { writer in
                    let chunk = 64 * 1024
                    for start in stride(from: 0, to: 4 * 1024 * 1024, by: chunk) {
                        var buffer = ByteBuffer()
                        buffer.writeBytes((start..<start + chunk).map(patternByte))
                        try await writer.write(buffer)
                    }
                    try await writer.finish(nil)
                })
        }
        return router
    }
}
