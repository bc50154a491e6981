import Testing

@testable import LeopostCore

@Suite("HTTPClientError")
struct HTTPClientErrorTests {
    @Test func equalityIsByCodeOnly() {
        #expect(HTTPClientError(code: .idleTimeout, message: "a") == HTTPClientError(code: .idleTimeout, message: "b"))
        #expect(HTTPClientError.idleTimeout != HTTPClientError.totalTimeout)
    }

    @Test func shortDescriptionCarriesNoPayload() {
        let error = HTTPClientError.about("GET https://secret.example:443", .connectionFailed, "refused")
        #expect(error.shortDescription == "connection failed")
        #expect(error.description.contains("secret.example"))
        let all: [HTTPClientError] = [
            .invalidURL, .invalidRequest, .connectionFailed, .connectTimeout, .firstByteTimeout, .idleTimeout, .totalTimeout,
            .tlsFailure, .connectionClosed, .bodyTooLarge, .cancelled, .shutdown, .transferFailed,
        ]
        #expect(Set(all.map(\.shortDescription)).count == all.count)
    }

    @Test func headersLookUpCaseInsensitivelyAndKeepDuplicates() {
        var headers: HTTPClientHeaders = ["Accept": "a", "accept": "b"]
        headers.add(name: "X-One", value: "1")
        #expect(headers.values(name: "ACCEPT") == ["a", "b"])
        headers.replaceOrAdd(name: "accept", value: "c")
        #expect(headers.values(name: "Accept") == ["c"])
        #expect(headers.first(name: "x-one") == "1")
    }
}
