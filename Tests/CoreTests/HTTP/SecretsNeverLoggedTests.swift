import Foundation
import LeopostTestSupport
import Logging
import Testing

@testable import LeopostCore

/// Credentials travel in URLs (Telegram's bot token is in the path) and headers; the HTTP
/// client's log lines, at every level, name only the method and origin.
@Suite("Secrets never reach the log")
struct SecretsNeverLoggedTests {
    @Test func theClientsLinesNameTheOriginNeverThePathTheQueryOrTheHeaders() async throws {
        let recorder = LogRecorder()
        let secrets = ["123456:AAbotTokenSecret", "sk-live-headerSecret", "querySecret42"]
        try await withTestHTTPServer(router: HTTPTestRoutes.router()) { port in
            try await HTTPClient.withHTTPClient(logger: recorder.logger()) { client in
                let url = "http://127.0.0.1:\(port)/bot\(secrets[0])/sendMessage?key=\(secrets[2])"
                _ = try await client.execute(HTTPClientRequest(url: url, headers: ["Authorization": "Bearer \(secrets[1])"]))
                var refused = HTTPClientRequest(url: url, headers: ["Authorization": "Bearer \(secrets[1])"])
                refused.egress = .tenant(field: "base_url")
                await #expect(throws: HTTPClientError.self) { _ = try await client.execute(refused) }
            }
        }
        let lines = recorder.recorded
        #expect(lines.contains { $0.text.contains("127.0.0.1") }, "the client does log its requests: \(lines.map(\.text))")
        #expect(lines.contains { $0.level == .warning && $0.text.contains("egress refused") })
        for line in lines {
            for secret in secrets { #expect(!line.text.contains(secret), "\(line.text)") }
        }
    }
}
