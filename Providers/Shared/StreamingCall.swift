import Foundation
import LeopostCore

/// The part every adapter shares: POST a JSON body, wait for the head, and either hand back the
/// streaming body or turn an error answer into a `ProviderError` with the provider's own mapping.
enum StreamingCall {
    /// Maps an error answer: status, the first 64 KiB of its body, and its headers.
    typealias ErrorMapping = @Sendable (_ status: Int, _ body: [UInt8], _ headers: HTTPClientHeaders) -> ProviderError

    static func start(
        http: HTTPClient,
        endpoint: ProviderEndpoint,
        url: String,
        headers: HTTPClientHeaders,
        body: some Encodable,
        provider: String,
        mapError: ErrorMapping
    ) async throws -> HTTPClientResponseBody {
        var headers = headers
        headers.replaceOrAdd(name: "Content-Type", value: "application/json")
        headers.replaceOrAdd(name: "Accept", value: "text/event-stream")
        var call = HTTPClientRequest(method: "POST", url: url, headers: headers, body: Array(try WireJSON.encoder.encode(body)))
        call.firstByteTimeout = endpoint.firstByteTimeout
        call.totalTimeout = endpoint.totalTimeout
        call.egress = endpoint.egress
        let response: HTTPClientStreamingResponse
        do {
            response = try await http.stream(call)
        } catch let error as HTTPClientError {
            throw ProviderError(fromTransport: error, provider: provider)
        }
        guard response.status == 200 else {
            let text = (try? await response.body.collect(upTo: 64 * 1024)) ?? []
            throw mapError(response.status, text, response.headers)
        }
        return response.body
    }
}
