import Foundation
import HTTPTypes
public import Hummingbird
import LeopostCore
import NIOCore
import Synchronization

/// A local S3-compatible object store for one bucket: `PUT` and `GET /<bucket>/<key>`, each request
/// checked as S3 checks Signature Version 4 (the `AWS4-HMAC-SHA256` Authorization header, the
/// canonical request over the signed headers, the signing key derived from the secret, date,
/// region and service, a signed `x-amz-content-sha256` that matches the body, `x-amz-date` within
/// 15 minutes), and answering with S3's XML errors: `SignatureDoesNotMatch`, `InvalidAccessKeyId`,
/// `XAmzContentSHA256Mismatch`, `NoSuchKey`, `NoSuchBucket`.
public final class FakeS3: Sendable {
    public let bucket: String
    public let region: String
    public let accessKeyID: String
    public let secretAccessKey: String
    private let objects = Mutex<[String: [UInt8]]>([:])
    private let refusals = Mutex<[String]>([])

    public init(bucket: String = "leopost-media", region: String = "eu-central-1", accessKeyID: String = "AKIAFAKE", secretAccessKey: String) {
        self.bucket = bucket
        self.region = region
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
    }

    /// The stored objects' keys.
    public var keys: [String] { objects.withLock { Array($0.keys).sorted() } }
    /// The S3 error codes answered so far.
    public var errorCodes: [String] { refusals.withLock { $0 } }

    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.put("**") { request, _ in try await self.handle(request) }
        router.get("**") { request, _ in try await self.handle(request) }
        return router
    }

    private func handle(_ request: Request) async throws -> Response {
        let body = Array(buffer: try await request.body.collect(upTo: 32 << 20))
        if let refusal = verify(request, body: body) { return refusal }
        let path = request.uri.path
        guard path.hasPrefix("/\(bucket)/") else { return error(404, "NoSuchBucket", "The specified bucket does not exist") }
        let key = String(path.dropFirst(bucket.count + 2))
        if request.method == .put {
            objects.withLock { $0[key] = body }
            var headers = HTTPFields()
            headers[.eTag] = "\"\(SHA256.hexDigest(body).prefix(32))\""
            return Response(status: .ok, headers: headers)
        }
        guard let stored = objects.withLock({ $0[key] }) else { return error(404, "NoSuchKey", "The specified key does not exist.") }
        return Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: .init(byteBuffer: ByteBuffer(bytes: stored)))
    }

    /// `nil` when the signature is S3's for this request, else S3's refusal.
    private func verify(_ request: Request, body: [UInt8]) -> Response? {
        guard let authorization = request.headers[.authorization], authorization.hasPrefix("AWS4-HMAC-SHA256 ") else {
            return error(403, "AccessDenied", "Access Denied")
        }
        var fields: [String: String] = [:]
        for item in authorization.dropFirst("AWS4-HMAC-SHA256 ".count).split(separator: ",") {
            let pair = item.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
        }
        guard let credential = fields["Credential"]?.split(separator: "/").map(String.init), credential.count == 5,
            let signedHeaders = fields["SignedHeaders"], let signature = fields["Signature"]
        else { return error(400, "AuthorizationHeaderMalformed", "The authorization header is malformed") }
        guard credential[0] == accessKeyID else {
            return error(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
        }
        guard credential[2] == region, credential[3] == "s3", credential[4] == "aws4_request" else {
            return error(400, "AuthorizationHeaderMalformed", "The authorization header is malformed; the region '\(credential[2])' is wrong")
        }
        guard let amzDate = request.headers[HTTPField.Name("x-amz-date")!], amzDate.hasPrefix(credential[1]),
            let date = Self.amzDate(amzDate), abs(date.timeIntervalSinceNow) < 900
        else { return error(403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.") }
        guard let payloadHash = request.headers[HTTPField.Name("x-amz-content-sha256")!] else {
            return error(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256")
        }
        guard payloadHash == SHA256.hexDigest(body) else {
            return error(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.")
        }
        let names = signedHeaders.split(separator: ";").map(String.init)
        guard names.contains("host"), names.contains("x-amz-date"), names.contains("x-amz-content-sha256") else {
            return error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.")
        }
        let headerLines = names.map { name -> String in
            let value = name == "host" ? (request.head.authority ?? "") : (HTTPField.Name(name).flatMap { request.headers[$0] } ?? "")
            return name + ":" + value.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        let canonical = [
            request.method.rawValue, request.uri.path, request.uri.query ?? "", headerLines.joined(separator: "\n") + "\n", signedHeaders,
            payloadHash,
        ].joined(separator: "\n")
        let scope = credential[1...4].joined(separator: "/")
        let toSign = ["AWS4-HMAC-SHA256", amzDate, scope, SHA256.hexDigest(canonical)].joined(separator: "\n")
        var key = Array("AWS4\(secretAccessKey)".utf8)
        for part in [credential[1], region, "s3", "aws4_request"] { key = HMACSHA256.authenticationCode(for: Array(part.utf8), key: key) }
        guard Hex.encode(HMACSHA256.authenticationCode(for: Array(toSign.utf8), key: key)) == signature else {
            return error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.")
        }
        return nil
    }

    static func amzDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.date(from: text)
    }

    private func error(_ status: Int, _ code: String, _ message: String) -> Response {
        refusals.withLock { $0.append(code) }
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>\(code)</Code><Message>\(message)</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>
            """
        return Response(status: .init(code: status), headers: [.contentType: "application/xml"], body: .init(byteBuffer: ByteBuffer(string: xml)))
    }
}
