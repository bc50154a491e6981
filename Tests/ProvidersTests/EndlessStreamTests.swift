import Foundation
import Hummingbird
import LeopostCore
import LeopostProviders
import LeopostTestSupport
import NIOCore
import Testing

/// A tenant's own endpoint that streams garbage without end: the answer fails with the reason
/// and the router's memory stays bounded.
@Suite("Provider streams that never end")
struct EndlessStreamTests {
    let logger = TestEnvironment.logger()

    /// Streams `piece` over and over (at most `count` times, so the fake stops by itself), in
    /// batches, until the client goes away.
    static func endless(_ piece: String, count: Int = 200_000) -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/v1/chat/completions") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/event-stream"],
                body: ResponseBody { writer in
                    let batch = ByteBuffer(string: String(repeating: piece, count: 64))
                    for _ in 0..<(count / 64) {
                        do { try await writer.write(batch) } catch { return }
                    }
                    try await writer.finish(nil)
                })
        }
        return router
    }

    static func residentBytes() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) * 1024
    }

    @Test(arguments: [
        (#"data: {"choices":[{"index":0,"delta":{}}]}"# + "\n\n", "events came without any answer text"),
        ("data: " + String(repeating: "x", count: 200) + "\n", "an event was longer than"),
        (#"data: {"choices":[{"index":0,"delta":{"content":"\#(String(repeating: "spam ", count: 400))"}}]}"# + "\n\n", "the stream went past"),
    ])
    func theAnswerFailsWithTheReasonAndMemoryStaysBounded(piece: String, reason: String) async throws {
        try await withTestHTTPServer(router: Self.endless(piece)) { port in
            try await HTTPClient.withHTTPClient(configuration: TestEnvironment.httpConfiguration(), logger: logger) { http in
                let endpoint = ProviderEndpoint(baseURL: "http://127.0.0.1:\(port)/v1", egress: .tenant(field: "providers.mine.base_url"))
                let provider = OpenAIProvider(configuration: endpoint, http: http)
                let before = Self.residentBytes()
                var text = 0
                await #expect {
                    for try await event in try await provider.stream(ChatRequest(model: "m", messages: [.init(role: .user, content: "hi")])) {
                        if case .delta(let piece) = event { text += piece.utf8.count }
                    }
                } throws: { error in
                    (error as? ProviderError)?.code == .malformedResponse && (error as? ProviderError)?.message.contains(reason) == true
                }
                let grown = Self.residentBytes() - before
                #expect(grown < 64 << 20, "resident memory grew by \(grown) bytes")
                #expect(text < 16 << 20)
            }
        }
    }
}
