import Foundation
import LeopostCore
import LeopostTestSupport
import Logging
import Testing

/// The loader against real shared libraries: the shipped Swift plugins, the plain-C example, and
/// fixtures broken in each way the ABI names. Every refusal names the file and the reason, and
/// the other plugins keep working.
@Suite("Plugin loader")
struct PluginLoaderTests {
    let logger = TestEnvironment.logger()

    private func registry(_ directory: String, overrides: [String: String] = [:]) async -> (PluginRegistry, HTTPClient) {
        let http = HTTPClient(logger: logger)
        return (PluginRegistry(configuration: .init(directory: directory, baseURLOverrides: overrides), http: http, logger: logger), http)
    }

    @Test("the Swift plugins and the C plugin load from a directory, with their manifests")
    func loadsShippedPlugins() async throws {
        let directory = try PluginFixtures.directory()
        try await HTTPClient.withHTTPClient(configuration: TestEnvironment.httpConfiguration(), logger: logger) { http in
            let registry = PluginRegistry(configuration: .init(directory: directory), http: http, logger: logger)
            let report = registry.scan()
            #expect(report.refused.isEmpty, "\(report.refused)")
            #expect(registry.plugins.map(\.name) == ["discord", "linkedin", "mastodon", "meta", "webhook", "x"])
            let x = try #require(registry.plugin(named: "x"))
            #expect(x.manifest.text.limit == 280)
            #expect(x.manifest.text.counting == .weighted)
            #expect(x.abiVersion == "1.0")
            #expect(registry.plugin(named: "discord")?.manifest.text.limit == 2000)
            #expect(registry.plugin(named: "mastodon")?.manifest.accountBaseURL == true)
            // A second scan finds nothing new.
            #expect(registry.scan().loaded.isEmpty)
        }
    }

    @Test("a library dropped in while running is loaded by the next scan; a bad one is refused and the others keep working")
    func dropIn() async throws {
        let directory = try PluginFixtures.directory(swift: ["Mastodon"], discord: false)
        try await HTTPClient.withHTTPClient(configuration: TestEnvironment.httpConfiguration(), logger: logger) { http in
            let registry = PluginRegistry(configuration: .init(directory: directory), http: http, logger: logger)
            registry.scan()
            #expect(registry.plugins.map(\.name) == ["mastodon"])
            try PluginFixtures.fixture("libfixture.so", in: directory)
            try Data("not an ELF file".utf8).write(to: URL(fileURLWithPath: "\(directory)/libgarbage.so"))
            let report = registry.scan()
            #expect(report.loaded.map(\.name) == ["fixture"])
            #expect(report.refused.count == 1)
            #expect(report.refused.first?.code == .cannotOpen)
            #expect(report.refused.first?.description.hasPrefix("\(directory)/libgarbage.so: cannot be loaded:") == true)
            #expect(registry.plugins.map(\.name) == ["fixture", "mastodon"])
            // The refused file is not retried until it changes.
            #expect(registry.scan().refused.isEmpty)
        }
    }

    @Test("each broken library is refused with the file and the reason")
    func refusals() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        let cases: [(String, [String], PluginLoadError.Code, String)] = [
            ("libnoentry.so", ["-DFIXTURE_NO_ENTRY"], .missingEntry, "no entry point leopost_platform_entry"),
            ("libnewer.so", ["-DFIXTURE_ABI_MAJOR=2"], .abiMismatch, "host ABI 1.0, library 2.0"),
            ("libmagic.so", ["-DFIXTURE_MAGIC=0x12345678u"], .badMagic, "magic is 0x12345678"),
            ("libdeclines.so", ["-DFIXTURE_NULL_DESCRIPTOR"], .noDescriptor, "declined to load"),
            (
                "libmanifest.so", [#"-DFIXTURE_MANIFEST="{\"platform\": \"Fixture\", \"media\": [], \"hosts\": []}""#], .invalidManifest,
                "invalid manifest: text: missing"
            ),
            (
                "libhosts.so",
                [
                    #"-DFIXTURE_MANIFEST="{\"platform\": \"F\", \"text\": {\"limit\": 5, \"counting\": \"characters\"}, \"media\": [], \"hosts\": [\"ftp://x\"], \"base_url\": \"https://a.example\"}""#
                ],
                .invalidManifest, "hosts[0]"
            ),
            ("libbadname.so", [#"-DFIXTURE_NAME="Bad Name""#], .invalidDescriptor, "name \"Bad Name\""),
        ]
        for (file, flags, code, reason) in cases {
            let path = try PluginFixtures.fixture(file, in: directory, flags: flags)
            #expect(throws: PluginLoadError.self) { try PluginRegistry.check(file: path, logger: logger) }
            do {
                _ = try PluginRegistry.check(file: path, logger: logger)
            } catch {
                #expect(error.code == code, "\(file): \(error)")
                #expect(error.description.hasPrefix("\(path): "), "\(error)")
                #expect(error.description.contains(reason), "\(file): \(error)")
            }
        }
    }

    @Test("two libraries serving one platform: the second is refused as a duplicate")
    func duplicateName() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        try PluginFixtures.fixture("liba.so", in: directory)
        try PluginFixtures.fixture("libb.so", in: directory)
        try await HTTPClient.withHTTPClient(configuration: TestEnvironment.httpConfiguration(), logger: logger) { http in
            let registry = PluginRegistry(configuration: .init(directory: directory), http: http, logger: logger)
            let report = registry.scan()
            #expect(report.loaded.map(\.file) == ["\(directory)/liba.so"])
            #expect(report.refused.map(\.code) == [.duplicateName])
            #expect(report.refused.first?.description.contains("already loaded from \(directory)/liba.so") == true)
        }
    }

    @Test("a new version moved over the old file is loaded beside it and takes its place")
    func replacedFile() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        try PluginFixtures.fixture("libfixture.so", in: directory)
        let data = try TestEnvironment.temporaryDirectory()
        try await HTTPClient.withHTTPClient(configuration: TestEnvironment.httpConfiguration(), logger: logger) { http in
            let registry = PluginRegistry(configuration: .init(directory: directory, copiesParent: data), http: http, logger: logger)
            registry.scan()
            let first = try #require(registry.plugin(named: "fixture"))
            #expect(first.manifest.text.limit == 100)
            let manifest =
                #"-DFIXTURE_MANIFEST="{\"platform\": \"Fixture 2\", \"text\": {\"limit\": 200, \"counting\": \"characters\"}, \"media\": [], \"hosts\": [], \"base_url\": \"http://127.0.0.1:9\"}""#
            let staged = try TestEnvironment.temporaryDirectory()
            let built = try PluginFixtures.fixture("libfixture.so", in: staged, flags: [manifest])
            // Replaced by a rename, as the README asks (never overwritten in place).
            #expect(rename(built, "\(directory)/libfixture.so") == 0)
            let report = registry.scan()
            #expect(report.refused.isEmpty, "\(report.refused)")
            #expect(registry.plugin(named: "fixture")?.manifest.text.limit == 200)
            #expect(registry.plugin(named: "fixture")?.manifest.platform == "Fixture 2")
            // The copy it was opened through is in a private directory of the data directory, not a predictable /tmp path.
            let made = try FileManager.default.contentsOfDirectory(atPath: data).filter { $0.hasPrefix("plugin-copies-") }
            #expect(made.count == 1 && made[0] != "plugin-copies-XXXXXX")
            let copies = "\(data)/\(made.first ?? "")"
            var status = stat()
            #expect(stat(copies, &status) == 0 && status.st_mode & 0o777 == 0o700, "mode \(String(status.st_mode & 0o777, radix: 8))")
            #expect(try FileManager.default.contentsOfDirectory(atPath: copies) == ["1-libfixture.so"])
            #expect(!FileManager.default.fileExists(atPath: NSTemporaryDirectory() + "leopost-plugins-\(getpid())"))
        }
    }

    @Test("a plugin calling a host outside its manifest is refused and nothing is sent")
    func hostOutsideManifest() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        try PluginFixtures.fixture("libfixture.so", in: directory)
        let hits = HitCounter()
        try await withTestHTTPServer(router: hits.router()) { port in
            try await HTTPClient.withHTTPClient(configuration: TestEnvironment.httpConfiguration(), logger: logger) { http in
                // The call's base URL is this server; the fixture then tries another origin (localhost, not 127.0.0.1).
                let registry = PluginRegistry(configuration: .init(directory: directory), http: http, logger: logger)
                registry.scan()
                let plugin = try #require(registry.plugin(named: "fixture"))
                let allowed = await registry.call(
                    plugin, .publish, request: Self.request(text: "call:http://127.0.0.1:\(port)/ok"), baseURL: "http://127.0.0.1:\(port)")
                #expect(allowed.code == .ok)
                #expect(allowed.json.contains("\"0:200\""), "\(allowed.json)")
                let refused = await registry.call(
                    plugin, .publish, request: Self.request(text: "call:http://localhost:\(port)/steal"), baseURL: "http://127.0.0.1:\(port)")
                #expect(refused.json.contains("\"3:0\""), "host-not-allowed transport expected: \(refused.json)")
                let other = await registry.call(
                    plugin, .publish, request: Self.request(text: "call:http://127.0.0.1:\(port + 1)/x"), baseURL: "http://127.0.0.1:\(port)")
                #expect(other.json.contains("\"3:0\""), "another port is another origin: \(other.json)")
                #expect(hits.paths == ["/ok"])
            }
        }
    }

    @Test("a plugin answering invalid JSON or an unknown code is a clear refusal, not a crash")
    func brokenAnswers() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        try PluginFixtures.fixture("libfixture.so", in: directory)
        try await HTTPClient.withHTTPClient(configuration: TestEnvironment.httpConfiguration(), logger: logger) { http in
            let registry = PluginRegistry(configuration: .init(directory: directory), http: http, logger: logger)
            registry.scan()
            let plugin = try #require(registry.plugin(named: "fixture"))
            let invalid = await registry.call(plugin, .publish, request: Self.request(text: "invalid-json"), baseURL: nil)
            #expect(invalid.code == .badRequest)
            #expect(invalid.message == "the fixture plugin returned invalid JSON from publish")
            let unknown = await registry.call(plugin, .publish, request: Self.request(text: "bad-code"), baseURL: nil)
            #expect(unknown.code == .badRequest)
            #expect(unknown.message == "the fixture plugin returned an unknown result code 42 from publish")
            let huge = await registry.call(plugin, .publish, request: Self.request(text: "huge"), baseURL: nil)
            #expect(huge.code == .badRequest)
            #expect(huge.message == "the fixture plugin returned more than 1048576 bytes from publish")
            let fine = await registry.call(plugin, .publish, request: Self.request(text: "hello"), baseURL: nil)
            #expect(fine.code == .ok)
        }
    }

    static func request(text: String) -> String {
        #"{"idempotency_key":"k1","text":"\#(text)","media":[],"base_url":"","account":{"access_token":"t","account_id":"","settings":{}}}"#
    }
}
