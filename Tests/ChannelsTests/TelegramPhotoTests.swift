import Foundation
import LeopostChannels
import LeopostCore
import LeopostProviders
import LeopostTestSupport
import Testing

/// A photo sent to the bot is fetched with `getFile`, kept in the media store and shown to a model
/// that sees images as an image part in OpenAI's format; one too large or not an image is refused
/// with a note the model reads, and a model that cannot see images is told one was sent.
@Suite("Photos sent on Telegram reach a model that sees images")
struct TelegramPhotoTests {
    static let chat = "\(TelegramUpdates.chatID)"
    /// A real 1×1 PNG.
    static let png = Array(
        Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")!)

    /// A chain of one OpenAI entry on the local fake's `vision` model, which says what it saw.
    static func vision(port: Int, http: HTTPClient) -> ChatRouter.ChainFactory {
        let provider = OpenAIProvider(configuration: .init(baseURL: "http://127.0.0.1:\(port)/v1", apiKey: "sk-test"), http: http)
        return { _, _, _ in ProviderChain(entries: [.init(name: "vision", provider: provider, model: "vision", acceptsImages: true)]) }
    }

    @Test func aPhotoIsSeenAsAnImagePartAndKeptForTheNextTurn() async throws {
        try await withTestHTTPServer(router: FakeOpenAI.router()) { openAI in
            try await HTTPClient.withHTTPClient(configuration: TestEnvironment.httpConfiguration(), logger: TestEnvironment.logger()) { http in
                try await TelegramSetup.with(chains: Self.vision(port: openAI, http: http)) { telegram in
                    try await telegram.link(updateID: 1)
                    telegram.fake.addFile("tulips", bytes: Self.png)
                    #expect(try await telegram.post(TelegramUpdates.photo(fileID: "tulips", caption: "Our new tulips", updateID: 2)) == 200)
                    let hash = String(SHA256.hexDigest(Self.png).prefix(12))
                    try await eventually("the answer about the photo") {
                        telegram.fake.sentTexts(to: Self.chat).contains { $0.contains("I see 1 image(s): image/png 70 bytes \(hash)") }
                    }
                    // The largest size is the one fetched, once.
                    #expect(telegram.fake.downloads(of: "tulips") == 1)
                    #expect(telegram.fake.downloads(of: "tulips-small") == 0)

                    // The next message asks about it: the model sees it again, from the store, not fetched again.
                    #expect(try await telegram.post(TelegramUpdates.text("Write a post with that photo", updateID: 3)) == 200)
                    try await eventually("the second answer") {
                        telegram.fake.sentTexts(to: Self.chat).contains { $0.contains("image/png 70 bytes \(hash)") && $0.contains("Write a post") }
                    }
                    #expect(telegram.fake.downloads(of: "tulips") == 1)
                }
            }
        }
    }

    @Test func aPhotoTooLargeOrNotAnImageIsNotShownAndTheModelIsToldWhy() async throws {
        try await withTestHTTPServer(router: FakeOpenAI.router()) { openAI in
            try await HTTPClient.withHTTPClient(configuration: TestEnvironment.httpConfiguration(), logger: TestEnvironment.logger()) { http in
                try await TelegramSetup.with(chains: Self.vision(port: openAI, http: http), mediaLimits: MediaLimits(maxBytes: 2048)) { telegram in
                    try await telegram.link(updateID: 1)
                    // Telegram says it is 3 KB: refused before downloading.
                    telegram.fake.addFile("big", bytes: Self.png + Array(repeating: 0, count: 3000))
                    #expect(try await telegram.post(TelegramUpdates.photo(fileID: "big", caption: "big one", updateID: 2)) == 200)
                    try await eventually("the refusal the model read") {
                        telegram.fake.sentTexts(to: Self.chat).contains {
                            $0.contains("I see no image") && $0.contains("[image not shown: the file is 3 KB, over the limit of 2 KB]")
                        }
                    }
                    #expect(telegram.fake.downloads(of: "big") == 0)

                    // Telegram reports a small size, but the file is larger: the download stops at the limit.
                    telegram.fake.addFile("liar", bytes: Self.png + Array(repeating: 0, count: 5000), reportedSize: 100)
                    #expect(try await telegram.post(TelegramUpdates.photo(fileID: "liar", caption: "liar", updateID: 3)) == 200)
                    try await eventually("the second refusal") {
                        telegram.fake.sentTexts(to: Self.chat).contains {
                            $0.contains("[image not shown: the file is over the limit") && $0.contains("liar")
                        }
                    }

                    // Bytes that are not an image, whatever Telegram calls them.
                    telegram.fake.addFile("script", bytes: Array("<script>alert(1)</script>".utf8))
                    #expect(try await telegram.post(TelegramUpdates.photo(fileID: "script", caption: "script", updateID: 4)) == 200)
                    try await eventually("the type refusal") {
                        telegram.fake.sentTexts(to: Self.chat).contains {
                            $0.contains("[image not shown: only JPEG, PNG, GIF and WebP images") && $0.contains("script")
                        }
                    }
                }
            }
        }
    }

    @Test func aModelThatCannotSeeImagesIsToldOneWasSent() async throws {
        let provider = ScriptedProvider(pieces: ["Nice."])
        let chains: ChatRouter.ChainFactory = { _, _, _ in ProviderChain(entries: [.init(name: "text-only", provider: provider, model: "m")]) }
        try await TelegramSetup.with(chains: chains) { telegram in
            try await telegram.link(updateID: 1)
            telegram.fake.addFile("tulips", bytes: Self.png)
            #expect(try await telegram.post(TelegramUpdates.photo(fileID: "tulips", caption: "Our new tulips", updateID: 2)) == 200)
            try await eventually("the answer") { telegram.fake.sentTexts(to: Self.chat).contains("Nice.") }
            let question = try #require(provider.requests.last?.messages.last)
            #expect(question.images.isEmpty)
            #expect(question.content.hasSuffix("[an image was attached, which you cannot see]"))
            #expect(question.content.contains("Our new tulips"))
        }
    }
}

@Suite("Photos sent on WhatsApp reach a model that sees images")
struct WhatsAppPhotoTests {
    @Test func anImageMessageIsFetchedWithTheConnectionsTokenAndSeen() async throws {
        try await withTestHTTPServer(router: FakeOpenAI.router()) { openAI in
            try await HTTPClient.withHTTPClient(configuration: TestEnvironment.httpConfiguration(), logger: TestEnvironment.logger()) { http in
                try await WhatsAppSetup.with(chains: TelegramPhotoTests.vision(port: openAI, http: http)) { whatsapp in
                    try await whatsapp.link()
                    whatsapp.fake.addMedia("1037543291543636", bytes: TelegramPhotoTests.png)
                    let message = WhatsAppSetup.image(mediaID: "1037543291543636", caption: "New lilies", id: "wamid.img")
                    #expect(try await whatsapp.post(WhatsAppSetup.envelope(messages: [message])) == 200)
                    let hash = String(SHA256.hexDigest(TelegramPhotoTests.png).prefix(12))
                    try await eventually("the answer about the photo") {
                        whatsapp.fake.sent.contains {
                            $0.body.contains("I see 1 image(s): image/png 70 bytes \(hash)") && $0.body.contains("New lilies")
                        }
                    }
                    #expect(whatsapp.fake.downloads(of: "1037543291543636") == 1)
                }
            }
        }
    }
}

@Suite("Images attached in the web chat reach a model that sees images")
struct WebChatImageTests {
    @Test func anUploadedImageIsSeenWithTheMessageAndBadUploadsAreRefused() async throws {
        try await withTestHTTPServer(router: FakeOpenAI.router()) { openAI in
            try await HTTPClient.withHTTPClient(configuration: TestEnvironment.httpConfiguration(), logger: TestEnvironment.logger()) { http in
                try await ChatHarness.with(chains: TelegramPhotoTests.vision(port: openAI, http: http), mediaLimits: MediaLimits(maxBytes: 4096)) {
                    chat in
                    let alice = try chat.token("alice")
                    let uploaded = try await chat.upload(TelegramPhotoTests.png, credential: alice)
                    #expect(uploaded.status == 201)
                    let id = try #require(ChatHarness.field("media_id", in: uploaded.body))
                    #expect(id == "upload:" + SHA256.hexDigest(TelegramPhotoTests.png))
                    #expect(ChatHarness.field("mime_type", in: uploaded.body) == "image/png")

                    // Not an image, whatever the header says; over the limit; no credential.
                    let script = try await chat.upload(Array("<svg onload=alert(1)>".utf8), contentType: "image/png", credential: alice)
                    #expect(script.status == 415 && script.body.contains("media_refused_type"))
                    #expect(try await chat.upload(TelegramPhotoTests.png + Array(repeating: 0, count: 5000), credential: alice).status == 413)
                    #expect(try await chat.call("POST", "/v1/media", json: "{}", credential: nil).status == 401)

                    let conversation = try await chat.newConversation(credential: alice)
                    let body = #"{"text": "A post with this photo, please", "media": ["\#(id)"]}"#
                    let posted = try await chat.call("POST", "/v1/conversations/\(conversation)/messages", json: body, credential: alice)
                    #expect(posted.status == 202)
                    let hash = String(SHA256.hexDigest(TelegramPhotoTests.png).prefix(12))
                    try await eventually("the answer that saw the image") {
                        let history = try await chat.call("GET", "/v1/conversations/\(conversation)/messages", credential: alice)
                        return history.body.contains("I see 1 image(s): image/png 70 bytes \(hash)")
                    }

                    // An id this tenant never uploaded (another tenant's, or made up), and too many.
                    let unknown = "upload:" + SHA256.hexDigest("not uploaded")
                    let stranger = try await chat.call(
                        "POST", "/v1/conversations/\(conversation)/messages", json: #"{"text": "x", "media": ["\#(unknown)"]}"#, credential: alice)
                    #expect(stranger.status == 400 && stranger.body.contains("unknown_media"))
                    let other = try await TenantStore(pool: chat.database.app).createTenant(name: "Other")
                    let otherConversation = try await chat.newConversation(credential: try chat.token("bob", tenant: other.tenantID))
                    let crossTenant = try await chat.call(
                        "POST", "/v1/conversations/\(otherConversation)/messages", json: #"{"text": "x", "media": ["\#(id)"]}"#,
                        credential: try chat.token("bob", tenant: other.tenantID))
                    #expect(crossTenant.status == 400 && crossTenant.body.contains("unknown_media"), "an upload is its tenant's only")
                    let five = Array(repeating: "\"\(id)\"", count: 5).joined(separator: ",")
                    let many = try await chat.call(
                        "POST", "/v1/conversations/\(conversation)/messages", json: #"{"text": "x", "media": [\#(five)]}"#, credential: alice)
                    #expect(many.status == 400 && many.body.contains("too_many_media"))

                    // A person uploading without pause is held back: each upload keeps up to 5 MiB.
                    // (Until refused, not a fixed count: on a loaded machine the allowance refills as the uploads go.)
                    var refused = false
                    for _ in 0..<(MediaUploadRoute.perMinute * 5) {
                        let status = try await chat.upload(TelegramPhotoTests.png, credential: alice).status
                        #expect(status == 201 || status == 429)
                        if status == 429 {
                            refused = true
                            break
                        }
                    }
                    #expect(refused)
                }
            }
        }
    }
}
