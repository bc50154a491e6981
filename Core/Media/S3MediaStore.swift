import Foundation

/// Media in an S3-compatible bucket (AWS S3, MinIO, Ceph, Garage, R2), for deployments whose
/// workers run on several machines: objects at `<endpoint>/<bucket>/<key>` (path style), each
/// request signed with Signature Version 4 by libcurl, the payload's SHA-256 signed with it.
public struct S3MediaStore: MediaStore {
    /// Where the bucket is and how to sign for it; read once at start-up.
    public struct Configuration: Sendable, Equatable {
        /// The store's base URL (`https://s3.eu-central-1.amazonaws.com`, `http://127.0.0.1:9000`).
        public var endpoint: String
        /// The bucket.
        public var bucket: String
        /// How requests are signed.
        public var signature: AWSSignature

        /// Creates a configuration.
        public init(endpoint: String, bucket: String, signature: AWSSignature) {
            self.endpoint = endpoint
            self.bucket = bucket
            self.signature = signature
        }
    }

    private let configuration: Configuration
    private let http: HTTPClient

    /// Creates the store.
    public init(configuration: Configuration, http: HTTPClient) {
        self.configuration = configuration
        self.http = http
    }

    public func read(_ key: String) async throws -> [UInt8]? {
        let response = try await send("GET", key, body: nil)
        switch response.status {
        case 200: return response.body
        case 404: return nil
        default: throw failure("GET", response)
        }
    }

    public func write(_ bytes: [UInt8], to key: String) async throws {
        let response = try await send("PUT", key, body: bytes)
        guard response.status == 200 else { throw failure("PUT", response) }
    }

    private func send(_ method: String, _ key: String, body: [UInt8]?) async throws -> HTTPClientResponse {
        try LocalMediaStore.check(key)
        let base = configuration.endpoint.hasSuffix("/") ? String(configuration.endpoint.dropLast()) : configuration.endpoint
        var request = HTTPClientRequest(
            method: method, url: "\(base)/\(configuration.bucket)/\(key)",
            headers: ["x-amz-content-sha256": SHA256.hexDigest(body ?? []), "Content-Type": "application/octet-stream"], body: body)
        request.awsSignature = configuration.signature
        do { return try await http.execute(request) } catch let error as HTTPClientError {
            throw MediaError(code: .unavailable, message: "the media store (S3 \(method)) is unreachable: \(error.shortDescription)")
        }
    }

    /// S3's error answer (`<Error><Code>SignatureDoesNotMatch</Code>…`) as a `MediaError`.
    private func failure(_ method: String, _ response: HTTPClientResponse) -> MediaError {
        let text = String(decoding: response.body.prefix(2048), as: UTF8.self)
        let code = text.range(of: "<Code>").flatMap { start in
            text[start.upperBound...].range(of: "</Code>").map { String(text[start.upperBound..<$0.lowerBound]) }
        }
        return MediaError(
            code: .unavailable, message: "the media store refused S3 \(method) with HTTP \(response.status)\(code.map { " \($0)" } ?? "")")
    }
}
