import Foundation
import Testing

@testable import LeopostCore

/// The pure rules of publishing: how a manifest is read and checked, which origins a plugin may
/// reach, how a platform counts a post, and what a preview button's data stands for.
@Suite("Publishing rules")
struct PublishingRulesTests {
    static let manifest = #"""
        {"platform": "Example", "api_version": "2", "text": {"limit": 280, "counting": "weighted", "url_length": 23},
         "media": ["image"], "hosts": ["https://api.example.com"], "base_url": "https://api.example.com",
         "rate_limits": {"per_account": {"requests": 100, "seconds": 900}}, "idempotent_publish": false,
         "oauth": {"authorize_url": "https://example.com/oauth", "token_url": "https://api.example.com/token", "scopes": ["write"]}}
        """#

    @Test func aManifestIsReadWithEveryField() throws {
        let manifest = try PluginManifest.parse(Self.manifest)
        #expect(manifest.text == .init(limit: 280, counting: .weighted, urlLength: 23))
        #expect(manifest.rateLimits?.perAccount == .init(requests: 100, seconds: 900))
        #expect(manifest.oauth?.tokenURL == "https://api.example.com/token")
        #expect(manifest.idempotentPublish == false)
    }

    @Test(arguments: [
        (#"{"platform": "X", "media": [], "hosts": [], "base_url": "https://a.example"}"#, "text: missing"),
        (
            #"{"platform": "X", "text": {"limit": 0, "counting": "characters"}, "media": [], "hosts": [], "base_url": "https://a.example"}"#,
            "text.limit"
        ),
        (
            #"{"platform": "X", "text": {"limit": 5, "counting": "bytes"}, "media": [], "hosts": [], "base_url": "https://a.example"}"#,
            "text.counting"
        ),
        (
            #"{"platform": "X", "text": {"limit": 5, "counting": "characters"}, "media": [], "hosts": ["api.example.com"], "base_url": "https://a.example"}"#,
            "hosts[0]"
        ),
        (#"{"platform": "X", "text": {"limit": 5, "counting": "characters"}, "media": [], "hosts": []}"#, "base_url: missing"),
        (#"{"platform": "", "text": {"limit": 5, "counting": "characters"}, "media": [], "hosts": [], "base_url": "https://a.example"}"#, "platform"),
        ("not json", "not valid JSON"),
    ])
    func aBadManifestNamesTheField(json: String, field: String) {
        do {
            _ = try PluginManifest.parse(json)
            Issue.record("accepted: \(json)")
        } catch {
            #expect(error.message.contains(field), "\(error.message)")
        }
    }

    @Test func originsCompareSchemeHostAndPort() {
        #expect(PluginOrigin(url: "https://api.x.com/2/tweets") == PluginOrigin(url: "https://API.x.com:443"))
        #expect(PluginOrigin(url: "https://api.x.com") != PluginOrigin(url: "http://api.x.com"))
        #expect(PluginOrigin(url: "https://api.x.com.evil.example/x") != PluginOrigin(url: "https://api.x.com"))
        #expect(PluginOrigin(url: "https://api.x.com@evil.example/") == nil, "credentials in a URL are refused")
        #expect(PluginOrigin(url: "ftp://api.x.com") == nil)
        #expect(PluginOrigin(url: "/relative") == nil)
    }

    @Test func lengthsAreCountedAsEachPlatformCounts() {
        let characters = PluginManifest.Text(limit: 500, counting: .characters, urlLength: 23)
        #expect(PostLength.measure("héllo 👩‍👩‍👧", rules: characters) == 7, "grapheme clusters")
        #expect(PostLength.measure("see https://example.com/a/very/long/path/indeed", rules: characters) == 4 + 23)
        let utf16 = PluginManifest.Text(limit: 500, counting: .utf16, urlLength: nil)
        #expect(PostLength.measure("a👍", rules: utf16) == 3)
        let weighted = PluginManifest.Text(limit: 280, counting: .weighted, urlLength: 23)
        #expect(PostLength.measure("hello", rules: weighted) == 5)
        #expect(PostLength.measure("漢字", rules: weighted) == 4)
        #expect(PostLength.measure("🌷", rules: weighted) == 2)
        #expect(PostLength.measure("é", rules: weighted) == 1, "Latin-1 weighs 1")
    }

    @Test func buttonDataRoundTripsAndAnythingElseIsNotADecision() throws {
        let post = UUID()
        let data = PostDecision.confirm.buttonData(for: post)
        #expect(data.utf8.count <= 64, "Telegram's callback_data limit")
        let parsed = try #require(PostDecision.parse(data))
        #expect(parsed.decision == .confirm)
        #expect(parsed.post == post)
        #expect(PostDecision.parse(PostDecision.cancel.buttonData(for: post))?.decision == .cancel)
        for other in ["", "post:confirm", "post:publish:\(post)", "post:confirm:not-a-uuid", "link:confirm:\(post)", "post:confirm:\(post):x"] {
            #expect(PostDecision.parse(other) == nil, "\(other)")
        }
    }
}
