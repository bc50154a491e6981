import Foundation
import LeopostTestSupport
import Testing

@testable import LeopostCore

@Suite("HTTPClient: requests and responses")
struct HTTPClientTests {
    let logger = HTTPTestRoutes.logger

    @Test func getReturnsStatusHeadersAndBody() async throws {
        try await withTestHTTPServer(router: HTTPTestRoutes.router()) { port in
            try await HTTPClient.withHTTPClient(logger: logger) { client in
                let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/hello"))
                #expect(response.status == 200)
                #expect(String(decoding: response.body, as: UTF8.self) == "hello")
                #expect(response.headers.first(name: "content-length") == "5")
            }
        }
    }

    @Test func postJSONRoundTrip() async throws {
        try await withTestHTTPServer(router: HTTPTestRoutes.router()) { port in
            try await HTTPClient.withHTTPClient(logger: logger) { client in
                let sent = HTTPTestRoutes.Greeting(name: "leo", count: 41)
                let request = HTTPClientRequest(
                    method: "POST",
                    url: "http://127.0.0.1:\(port)/json",
                    headers: ["Content-Type": "application/json"],
                    body: Array(try JSONEncoder().encode(sent))
                )
                let response = try await client.execute(request)
                #expect(response.status == 200)
                #expect(response.headers.first(name: "Content-Type")?.hasPrefix("application/json") == true)
                let received = try JSONDecoder().decode(HTTPTestRoutes.Greeting.self, from: Data(response.body))
                #expect(received == HTTPTestRoutes.Greeting(name: "hi leo", count: 42))
            }
        }
    }

    @Test func methodsAndBodiesAreSentAsGiven() async throws {
        try await withTestHTTPServer(router: HTTPTestRoutes.router()) { port in
            try await HTTPClient.withHTTPClient(logger: logger) { client in
                let url = "http://127.0.0.1:\(port)/method"
                let largeBody = [UInt8](repeating: 1, count: 200_000)
                let cases: [(HTTPClientRequest, String)] = [
                    (
                        HTTPClientRequest(method: "PUT", url: url, headers: ["Content-Type": "text/plain"], body: Array("abc".utf8)),
                        "PUT 3 text/plain none"
                    ),
                    (HTTPClientRequest(method: "PATCH", url: url, body: []), "PATCH 0 none none"),
                    (HTTPClientRequest(method: "POST", url: url), "POST 0 none none"),
                    (HTTPClientRequest(method: "POST", url: url, body: largeBody), "POST 200000 none none"),
                    (HTTPClientRequest(method: "DELETE", url: url), "DELETE 0 none none"),
                ]
                for (request, expected) in cases {
                    let response = try await client.execute(request)
                    #expect(String(decoding: response.body, as: UTF8.self) == expected)
                }
                let head = try await client.execute(HTTPClientRequest(method: "HEAD", url: "http://127.0.0.1:\(port)/head"))
                #expect(head.status == 204)
                #expect(head.headers.first(name: "x-head") == "yes")
                #expect(head.body.isEmpty)
            }
        }
    }

    @Test func sequentialRequestsReuseOneConnection() async throws {
        try await withTestHTTPServer(router: HTTPTestRoutes.router()) { port in
            try await HTTPClient.withHTTPClient(logger: logger) { client in
                for _ in 0..<5 {
                    let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/hello"))
                    #expect(response.status == 200)
                }
                #expect(client.loop.connectionsOpened == 1)
            }
        }
    }

    @Test func headersAreSentAndReadCaseInsensitively() async throws {
        try await withTestHTTPServer(router: HTTPTestRoutes.router()) { port in
            try await HTTPClient.withHTTPClient(logger: logger) { client in
                let request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/headers", headers: ["X-Test": "forty two"])
                let response = try await client.execute(request)
                #expect(response.headers.first(name: "x-echo") == "forty two")
                #expect(response.headers.first(name: "X-ECHO") == "forty two")
                #expect(response.headers.values(name: "x-multi") == ["one", "two"])
                #expect(response.headers.first(name: "x-user-agent") == "leopost/0.1")
                #expect(response.headers.first(name: "x-absent") == nil)
            }
        }
    }

    @Test func requestUserAgentOverridesTheConfiguredOne() async throws {
        try await withTestHTTPServer(router: HTTPTestRoutes.router()) { port in
            try await HTTPClient.withHTTPClient(logger: logger) { client in
                let request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/headers", headers: ["User-Agent": "custom/1"])
                let response = try await client.execute(request)
                #expect(response.headers.first(name: "x-user-agent") == "custom/1")
            }
        }
    }

    @Test(arguments: [404, 418, 500, 503])
    func nonSuccessStatusesAreReturnedNotThrown(code: Int) async throws {
        try await withTestHTTPServer(router: HTTPTestRoutes.router()) { port in
            try await HTTPClient.withHTTPClient(logger: logger) { client in
                let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/status/\(code)"))
                #expect(response.status == code)
                #expect(String(decoding: response.body, as: UTF8.self) == "status \(code)")
            }
        }
    }

    @Test func redirectsAreReturnedByDefault() async throws {
        try await withTestHTTPServer(router: HTTPTestRoutes.router()) { port in
            try await HTTPClient.withHTTPClient(logger: logger) { client in
                let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/redirect"))
                #expect(response.status == 302)
                #expect(response.headers.first(name: "location") == "/hello")
            }
        }
    }

    @Test func followedRedirectsReportOnlyTheFinalResponse() async throws {
        try await withTestHTTPServer(router: HTTPTestRoutes.router()) { port in
            let configuration = HTTPClient.Configuration(followRedirects: true)
            try await HTTPClient.withHTTPClient(configuration: configuration, logger: logger) { client in
                let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/redirect"))
                #expect(response.status == 200)
                #expect(response.headers.first(name: "location") == nil)
                #expect(String(decoding: response.body, as: UTF8.self) == "hello")
            }
        }
    }

    @Test func twoHundredConcurrentRequestsEachGetTheirOwnResponse() async throws {
        try await withTestHTTPServer(router: HTTPTestRoutes.router()) { port in
            try await HTTPClient.withHTTPClient(logger: logger) { client in
                try await withThrowingTaskGroup(of: (Int, HTTPClientResponse).self) { group in
                    for index in 0..<200 {
                        group.addTask {
                            (index, try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/n/\(index)")))
                        }
                    }
                    var seen = Set<Int>()
                    for try await (index, response) in group {
                        #expect(response.status == 200)
                        #expect(String(decoding: response.body, as: UTF8.self) == "\(index)")
                        seen.insert(index)
                    }
                    #expect(seen.count == 200)
                }
                #expect(client.loop.activeTransfers == 0)
            }
        }
    }
}
