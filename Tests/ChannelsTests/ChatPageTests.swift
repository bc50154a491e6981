import Foundation
import LeopostChannels
import LeopostCore
import LeopostTestSupport
import Testing

@Suite("The chat page as files")
struct ChatPageTests {
    @Test func thePageAndItsModulesAreServedWithAStrictPolicyAndRevalidated() async throws {
        try await ChatHarness.with(runWorker: false) { chat in
            let page = try await chat.call("GET", "/", credential: nil)
            #expect(page.status == 200)
            #expect(page.headers.first(name: "Content-Type") == "text/html; charset=utf-8")
            #expect(page.body.contains(#"<script type="module" src="/chat/js/main.js"></script>"#))
            let policy = try #require(page.headers.first(name: "Content-Security-Policy"))
            #expect(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"), "\(policy)")
            let etag = try #require(page.headers.first(name: "ETag"))
            #expect(page.headers.first(name: "Cache-Control") == "no-cache")
            let again = try await chat.call("GET", "/", credential: nil, headers: [("If-None-Match", etag)])
            #expect(again.status == 304 && again.body.isEmpty)

            for (path, type) in [("/chat/chat.css", "text/css"), ("/chat/js/main.js", "text/javascript"), ("/chat/js/stream.js", "text/javascript")] {
                let file = try await chat.call("GET", path, credential: nil)
                #expect(file.status == 200, "\(path)")
                #expect(file.headers.first(name: "Content-Type")?.hasPrefix(type) == true, "\(path)")
                #expect(file.headers.first(name: "X-Content-Type-Options") == "nosniff")
            }
            // Every module the entry imports is there.
            let main = try await chat.call("GET", "/chat/js/main.js", credential: nil)
            for module in main.body.split(separator: "\n").compactMap({ $0.split(separator: "'./").dropFirst().first?.split(separator: "'").first }) {
                #expect(try await chat.call("GET", "/chat/js/\(module)", credential: nil).status == 200, "\(module)")
            }
            for missing in ["/chat/nope.js", "/chat/../Package.swift", "/chat/js/../../ChatPage.swift"] {
                #expect(try await chat.call("GET", missing, credential: nil).status == 404, "\(missing)")
            }
        }
    }
}
