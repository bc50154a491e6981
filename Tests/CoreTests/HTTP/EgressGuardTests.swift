import Foundation
import LeopostTestSupport
import Testing

@testable import LeopostCore

@Suite("Egress guard: what a tenant's request may reach")
struct EgressGuardTests {
    let logger = HTTPTestRoutes.logger

    @Test func everyNonPublicRangeIsRefusedAndPublicAddressesPass() {
        let guardian = EgressGuard()
        let refused = [
            "127.0.0.1", "127.8.9.10", "10.0.0.1", "172.16.5.4", "172.31.255.255", "192.168.1.1", "100.64.0.1", "169.254.169.254",
            "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fd12:3456::1", "ff02::1", "::ffff:10.0.0.1",
            "::ffff:169.254.169.254", "64:ff9b::7f00:1",
        ]
        for text in refused {
            let address = IPAddress(text)!
            #expect(guardian.refusal(address, port: 80)?.contains("is a private address") == true, "\(text)")
        }
        for text in ["93.184.216.34", "1.1.1.1", "172.32.0.1", "2606:4700::1111", "::ffff:8.8.8.8"] {
            #expect(guardian.refusal(IPAddress(text)!, port: 443) == nil, "\(text)")
        }
        #expect(guardian.refusal(IPAddress("127.0.0.1")!, port: 6379) == "127.0.0.1:6379 is a private address (loopback)")
    }

    @Test func theOperatorsAllowancesOpenTargetsButNotTheEmbeddedServersPorts() throws {
        let allowances = try EgressAllowance.list("127.0.0.1:8081, 10.20.0.0/16, [::1]:9000", variable: "LEOPOST_EGRESS_ALLOW")
        #expect(allowances.map(\.description) == ["127.0.0.1:8081", "10.20.0.0/16", "[::1]:9000"])
        let guardian = EgressGuard(allowances: allowances + [EgressAllowance("127.0.0.0/8")!], protectedPorts: [6379, 5432])
        #expect(guardian.refusal(IPAddress("127.0.0.1")!, port: 8081) == nil)
        #expect(guardian.refusal(IPAddress("10.20.3.4")!, port: 443) == nil)
        #expect(guardian.refusal(IPAddress("10.21.3.4")!, port: 443) != nil)
        #expect(guardian.refusal(IPAddress("::1")!, port: 9000) == nil)
        #expect(guardian.refusal(IPAddress("::1")!, port: 9001) != nil)
        #expect(guardian.refusal(IPAddress("127.0.0.1")!, port: 6379)?.contains("private address") == true, "a block never opens Redis")
        #expect(guardian.refusal(IPAddress("::ffff:127.0.0.1")!, port: 5432) != nil)
        let exact = EgressGuard(allowances: [EgressAllowance("127.0.0.1:6379")!], protectedPorts: [6379])
        #expect(exact.refusal(IPAddress("127.0.0.1")!, port: 6379) == nil, "only an entry naming the port exactly opens it")
        #expect(throws: ConfigurationError.self) { try EgressAllowance.list("127.0.0.1:99999", variable: "LEOPOST_EGRESS_ALLOW") }
        #expect(throws: ConfigurationError.self) { try EgressAllowance.list("intranet.local:80", variable: "LEOPOST_EGRESS_ALLOW") }
        #expect(throws: ConfigurationError.self) { try LeopostConfiguration(environment: ["LEOPOST_EGRESS_ALLOW": "10.0.0.0/33"]) }
    }

    @Test func aTenantRequestToThisMachineIsRefusedBeforeAnythingIsSent() async throws {
        let recorder = RequestRecorder()
        try await withTestHTTPServer(router: recorder.router()) { port in
            try await HTTPClient.withHTTPClient(logger: logger) { client in
                let spellings = [
                    "http://127.0.0.1:\(port)/x", "http://localhost:\(port)/x", "http://[::ffff:7f00:1]:\(port)/x",
                    // Other ways of writing 127.0.0.1 that resolvers accept.
                    "http://2130706433:\(port)/x", "http://0x7f000001:\(port)/x", "http://127.1:\(port)/x", "http://0177.0.0.1:\(port)/x",
                ]
                for url in spellings {
                    var request = HTTPClientRequest(method: "POST", url: url, headers: ["Authorization": "Bearer secret"], body: [1])
                    request.egress = .tenant(field: "webhook url")
                    await #expect {
                        _ = try await client.execute(request)
                    } throws: { error in
                        let error = error as? HTTPClientError
                        return error?.code == .egressRefused && error?.message.contains("webhook url") == true
                            && error?.message.contains("LEOPOST_EGRESS_ALLOW") == true
                    }
                }
                // The operator's own endpoint is not judged.
                let own = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/operator"))
                #expect(own.status == 401)
            }
            #expect(recorder.seen.map(\.path) == ["/operator"], "the refused requests never reached the server")
        }
    }

    @Test func anAllowedTargetIsReachedPinnedAndNeverRedirected() async throws {
        try await withTestHTTPServer(router: HTTPTestRoutes.router()) { port in
            let allowed = EgressGuard(allowances: [EgressAllowance("127.0.0.1:\(port)")!])
            try await HTTPClient.withHTTPClient(configuration: .init(followRedirects: true, egress: allowed), logger: logger) { client in
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/hello")
                request.egress = .tenant(field: "base_url")
                let reached = try await client.execute(request)
                #expect(reached.status == 200)
                var redirect = HTTPClientRequest(url: "http://127.0.0.1:\(port)/redirect")
                redirect.egress = .tenant(field: "base_url")
                let redirected = try await client.execute(redirect)
                #expect(redirected.status == 302, "a tenant's request never follows a redirect")
            }
        }
        var pinned = try PreparedRequest(
            {
                var r = HTTPClientRequest(url: "https://rebind.example:8443/v1"); r.egress = .tenant(field: "base_url"); return r
            }(),
            configuration: .init(), now: .now)
        pinned.pinnedAddress = IPAddress("93.184.216.34")
        #expect(pinned.resolveEntry == "rebind.example:8443:93.184.216.34", "curl connects to the judged address, whatever the name says later")
        #expect(!pinned.followRedirects)
    }

    @Test func literalURLsAreJudgedWhenStored() {
        let guardian = EgressGuard()
        #expect(guardian.refusal(url: "http://127.0.0.1:6379/", field: "base_url") == "base_url 127.0.0.1:6379 is a private address (loopback)")
        #expect(guardian.refusal(url: "http://[fe80::1]/", field: "base_url")?.contains("link-local") == true)
        #expect(guardian.refusal(url: "https://mastodon.social", field: "base_url") == nil)
        #expect(guardian.refusal(url: "https://localhost", field: "base_url") == nil, "a name is judged when it is resolved")
    }
}
