import Foundation
import Hummingbird
import LeopostCore
import LeopostTestSupport
import Testing

/// The media stores and limits: a local directory and an S3-compatible bucket behind the same
/// protocol, keys only of Leopost's own shape, and images judged by their bytes.
@Suite("Media stores and limits")
struct MediaStoreTests {
    static let png = Array(
        Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")!)

    @Test func imagesAreJudgedByTheirBytes() throws {
        #expect(MediaLimits.sniff(Self.png) == "image/png")
        #expect(MediaLimits.sniff([0xFF, 0xD8, 0xFF, 0xE0]) == "image/jpeg")
        #expect(MediaLimits.sniff(Array("GIF89a....".utf8)) == "image/gif")
        #expect(MediaLimits.sniff(Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8)) == "image/webp")
        #expect(MediaLimits.sniff(Array("<svg onload=alert(1)>".utf8)) == nil)
        #expect(MediaLimits.sniff(Array("%PDF-1.7".utf8)) == nil)
        let limits = MediaLimits(maxBytes: 2048)
        #expect(throws: MediaError(code: .tooLarge, message: "the file is 3 KB, over the limit of 2 KB")) {
            try limits.image(Self.png + Array(repeating: 0, count: 3000))
        }
        #expect(MediaLimits.tooLarge(7_444_000, limit: 5 * 1024 * 1024).message == "the file is 7.1 MB, over the limit of 5.0 MB")
    }

    @Test func aLocalStoreKeepsFilesUnderItsDirectoryAndRefusesOtherKeys() async throws {
        let store = LocalMediaStore(directory: try TestEnvironment.temporaryDirectory())
        try await store.write(Self.png, to: "tenant-a/abc123")
        #expect(try await store.read("tenant-a/abc123") == Self.png)
        #expect(try await store.read("tenant-a/missing") == nil)
        for key in ["../etc/passwd", "tenant-a/../../x", ".hidden/x", "a//b", "", "a/b c"] {
            await #expect(throws: MediaError.self, "\(key)") { try await store.write([1], to: key) }
        }
    }

    @Test func anS3StoreSignsEveryRequestAndReadsWhatItWrote() async throws {
        let fake = FakeS3(secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
        try await withTestHTTPServer(router: fake.router()) { port in
            try await HTTPClient.withHTTPClient(configuration: TestEnvironment.httpConfiguration(), logger: TestEnvironment.logger()) { http in
                func store(secret: String = fake.secretAccessKey, key: String = fake.accessKeyID) -> S3MediaStore {
                    S3MediaStore(
                        configuration: .init(
                            endpoint: "http://127.0.0.1:\(port)", bucket: fake.bucket,
                            signature: AWSSignature(region: fake.region, accessKeyID: key, secretAccessKey: secret)),
                        http: http)
                }
                try await store().write(Self.png, to: "tenant-a/abc123")
                #expect(fake.keys == ["tenant-a/abc123"])
                #expect(try await store().read("tenant-a/abc123") == Self.png)
                #expect(try await store().read("tenant-a/missing") == nil)
                #expect(fake.errorCodes == ["NoSuchKey"])

                // A wrong secret or key is refused by the store, and said so; nothing is written.
                await #expect { try await store(secret: "not-the-secret").write([1], to: "tenant-a/x") } throws: {
                    ($0 as? MediaError)?.code == .unavailable && ($0 as? MediaError)?.message.contains("HTTP 403 SignatureDoesNotMatch") == true
                }
                await #expect { try await store(key: "AKIAOTHER").read("tenant-a/abc123") } throws: {
                    ($0 as? MediaError)?.message.contains("InvalidAccessKeyId") == true
                }
                #expect(fake.keys == ["tenant-a/abc123"])
                // A key of another shape never leaves the process.
                await #expect(throws: MediaError.self) { try await store().read("../other-bucket/x") }

                // Uploads go through the same store: what the web chat keeps, the router reads.
                let uploads = MediaUploads(store: store())
                let tenant = TenantID(UUID())
                let stored = try await uploads.accept(Self.png, tenant: tenant)
                #expect(try await uploads.reference(stored.reference.reference, tenant: tenant)?.mimeType == "image/png")
                #expect(try await uploads.reference(stored.reference.reference, tenant: TenantID(UUID())) == nil)
            }
        }
    }

    @Test func anS3BucketIsConfiguredWholeOrNotAtAll() throws {
        let base = [
            "LEOPOST_MEDIA_S3_URL": "http://127.0.0.1:9000", "LEOPOST_MEDIA_S3_BUCKET": "leopost-media",
            "LEOPOST_MEDIA_S3_ACCESS_KEY_ID": "AKIA1", "LEOPOST_MEDIA_S3_SECRET_ACCESS_KEY": "s3cret",
        ]
        let configured = try #require(try LeopostConfiguration(environment: base).mediaS3)
        #expect(configured.bucket == "leopost-media" && configured.signature.region == "us-east-1")
        #expect(!configured.signature.description.contains("s3cret"), "the secret is never printed")
        #expect(try LeopostConfiguration(environment: [:]).mediaS3 == nil)
        var missing = base
        missing["LEOPOST_MEDIA_S3_SECRET_ACCESS_KEY"] = nil
        #expect { try LeopostConfiguration(environment: missing) } throws: {
            ($0 as? ConfigurationError)?.variable == "LEOPOST_MEDIA_S3_SECRET_ACCESS_KEY"
        }
        var badBucket = base
        badBucket["LEOPOST_MEDIA_S3_BUCKET"] = "Bad_Bucket"
        #expect(throws: ConfigurationError.self) { try LeopostConfiguration(environment: badBucket) }
    }
}

@Suite("Signed media links")
struct MediaLinkTests {
    @Test func aLinkServesItsFileAndNothingElse() async throws {
        let store = LocalMediaStore(directory: try TestEnvironment.temporaryDirectory())
        try await store.write(MediaStoreTests.png, to: "tenant-a/0123abcd")
        try await store.write(MediaStoreTests.png, to: "tenant-b/0123abcd")
        let links = MediaLinks(masterKey: try SymmetricKey(bytes: Array(repeating: 9, count: 32)), baseURL: "http://127.0.0.1/")
        let router = Router(context: GatewayContext.self)
        router.addRoutes(MediaLinkRoute(links: links, store: store).routes)
        try await withTestHTTPServer(router: router) { port in
            try await HTTPClient.withHTTPClient(configuration: TestEnvironment.httpConfiguration(), logger: TestEnvironment.logger()) { http in
                func get(_ url: String) async throws -> HTTPClientResponse {
                    try await http.execute(HTTPClientRequest(url: url.replacingOccurrences(of: "http://127.0.0.1", with: "http://127.0.0.1:\(port)")))
                }
                let link = links.url(for: "tenant-a/0123abcd")
                #expect(link.hasPrefix("http://127.0.0.1/media/tenant-a/0123abcd?sig="))
                let served = try await get(link)
                #expect(served.status == 200 && served.body == MediaStoreTests.png)
                #expect(served.headers.first(name: "Content-Type") == "image/png")
                #expect(served.headers.first(name: "X-Content-Type-Options") == "nosniff")
                // Another tenant's file with this signature, a changed signature, none: 404 alike.
                #expect(try await get(link.replacingOccurrences(of: "tenant-a", with: "tenant-b")).status == 404)
                #expect(try await get(String(link.dropLast()) + (link.hasSuffix("A") ? "B" : "A")).status == 404)
                #expect(try await get("http://127.0.0.1/media/tenant-a/0123abcd").status == 404)
                #expect(links.isValid(String(link.split(separator: "=").last!), for: "tenant-a/0123abcd"))
            }
        }
    }
}
