import Foundation
import LeopostCore
import LeopostTestSupport
import Testing

/// The router's tool loop against a real publishing deployment (plugins loaded, fake platforms,
/// a publish worker): the scripted model calls the publishing tools, Leopost runs them with the
/// person's rights, and posts are drafted, confirmed, moved and cancelled for real.
@Suite("The assistant drafts, schedules and cancels posts from the chat with tools")
struct AssistantToolsTests {
    /// A person's conversation with one message in it, and the router over the harness.
    struct Chat {
        let harness: PublishHarness
        let router: ChatRouter
        let userID: UUID
        let conversation: Conversation
        let provider: StepScriptProvider
        /// Where the person's photos are kept: uploads go here, and the router and tools read them.
        let uploads: MediaUploads

        /// Stores `text` (and `media`) as the person's message and answers it.
        func ask(_ text: String, media: [MediaReference] = []) async throws {
            let tenant = harness.tenant.tenantID
            let message = try await ConversationStore(pool: harness.database.app).appendInbound(
                tenant: tenant, conversationID: conversation.id, channel: "web", parts: [.text(text)] + media.map(MessagePart.media))
            let request = AnswerRequest(tenantID: tenant, userID: userID, conversationID: conversation.id, messageID: message.id, channel: "web")
            let payload = String(decoding: try JSONEncoder().encode(request), as: UTF8.self)
            try await router.handle(
                StageJob(id: message.id.uuidString, orderingKey: conversation.id.uuidString, sequence: 1, attempt: 1, payload: payload))
        }

        /// The conversation's events so far: kind and JSON object.
        func events() async throws -> [(kind: ConversationEvent.Kind, data: [String: Any])] {
            try await ConversationEventLog(redis: harness.redis).events(after: nil, conversation: conversation.id).map {
                ($0.kind, PublishHarness.object($0.data))
            }
        }

        /// The person's posts.
        func posts() async throws -> [Post] {
            try await PostStore(pool: harness.database.app).posts(ofUser: userID, limit: 10, tenant: harness.tenant.tenantID)
        }
    }

    func withChat(
        _ steps: [[ChatEvent]], zone: String? = nil, asksTimeZone: Bool = false, writer: StepScriptProvider? = nil,
        _ body: @Sendable (Chat) async throws -> Void
    ) async throws {
        try await PublishHarness.with { harness in
            let logger = TestEnvironment.logger()
            let pool = harness.database.app
            let tenant = harness.tenant.tenantID
            let users = UserStore(pool: pool)
            let userID = try await users.resolve(name: "ana", tenant: tenant)
            try await users.setZone(zone, of: userID, tenant: tenant)
            let conversation = try await ConversationStore(pool: pool).create(tenant: tenant, userID: userID, channel: "web")
            let provider = StepScriptProvider(steps)
            let store = LocalMediaStore(directory: try TestEnvironment.temporaryDirectory())
            let library = MediaLibrary(sources: [], store: store)
            let tools = PublishingTools(
                redis: harness.redis, postgres: pool, masterKey: PublishHarness.masterKey, plugins: harness.registry,
                policyRules: TestEnvironment.policyRules(), logger: logger, publishStage: harness.stage,
                photos: PhotoAttachments(
                    library: library, links: MediaLinks(masterKey: PublishHarness.masterKey, baseURL: "https://leopost.example"),
                    conversations: ConversationStore(pool: pool)))
            let router = ChatRouter(
                dependencies: .init(
                    conversations: ConversationStore(pool: pool), brands: BrandStore(pool: pool), feedback: FeedbackStore(pool: pool),
                    policies: PolicyStore(pool: pool, rules: TestEnvironment.policyRules()), usage: UsageStore(pool: pool),
                    events: ConversationEventLog(redis: harness.redis), ledger: BudgetLedger(redis: harness.redis), delivery: nil, users: users,
                    tools: ToolBox(tools.all + (asksTimeZone ? [SetTimeZoneTool(users: users)] : [])), media: library),
                chains: { task, _, _ in
                    if task == "draft", let writer { return ProviderChain(entries: [.init(name: "writer", provider: writer, model: "writer")]) }
                    return ProviderChain(entries: [.init(name: "scripted", provider: provider, model: "scripted")])
                },
                configuration: .init(channels: ChannelCatalog(capabilities: ["web": .init(maxMessageLength: 100_000, canStream: true)])),
                logger: logger)
            try await body(
                Chat(
                    harness: harness, router: router, userID: userID, conversation: conversation, provider: provider,
                    uploads: MediaUploads(store: store)))
        }
    }

    @Test func aWrongPlatformIsCorrectedByTheModelAndAConfirmPublishesOnce() async throws {
        try await withChat([
            StepScriptProvider.call("draft_post", #"{"text": "Spring sale: 20% off everything!", "platforms": ["myspace"]}"#),
            StepScriptProvider.call("draft_post", #"{"text": "Spring sale: 20% off everything!", "platforms": ["Mastodon"]}"#, id: "call_2"),
            StepScriptProvider.text("Here is your draft: confirm it below."),
        ]) { chat in
            try await chat.ask("Post about our spring sale on mastodon")
            let requests = chat.provider.requests
            #expect(requests.count == 3)
            #expect(requests[0].tools.map(\.name) == ["draft_post", "list_social_accounts", "list_posts", "reschedule_post", "cancel_post"])
            #expect(requests[0].messages[0].content.contains("local time"))
            // The refusal went back to the model as a tool error it could act on.
            let refusal = try #require(requests[1].messages.last?.toolResult)
            #expect(refusal.isError)
            #expect(refusal.content.contains("myspace"))
            #expect(requests[2].messages.last?.toolResult?.isError == false)

            let posts = try await chat.posts()
            #expect(posts.count == 1)
            let post = try #require(posts.first)
            #expect(post.status == .draft)
            #expect(post.targets.map(\.platform) == ["mastodon"])
            #expect(chat.harness.mastodon.ledger.posts.isEmpty)  // nothing goes out unconfirmed

            let events = try await chat.events()
            #expect(
                events.filter { $0.kind == .toolStarted }.map { $0.data["label"] as? String } == [
                    "Drafting a post for myspace…", "Drafting a post for Mastodon…",
                ])
            #expect(events.filter { $0.kind == .toolFinished }.map { $0.data["ok"] as? Bool } == [false, true])
            #expect((events.filter { $0.kind == .toolFinished }.last?.data["post_id"] as? String).flatMap(UUID.init(uuidString:)) == post.id)
            #expect(events.contains { $0.kind == .postPreview && ($0.data["post_id"] as? String).flatMap(UUID.init(uuidString:)) == post.id })
            #expect(events.last?.kind == .messageCompleted)
            #expect(events.last?.data["text"] as? String == "Here is your draft: confirm it below.")

            let confirmed = try await chat.harness.call("POST", "/v1/posts/\(post.id)/publish")
            #expect(confirmed.status == 202)
            let settled = try await chat.harness.settled(post.id)
            #expect(settled.targets.map(\.status) == [.published])
            #expect(chat.harness.mastodon.ledger.posts.map(\.text) == ["Spring sale: 20% off everything!"])
        }
    }

    @Test func aPersonWithoutATimeZoneIsAskedOnceAndTheZoneTheyNameIsStored() async throws {
        try await withChat(
            [
                StepScriptProvider.text("Which city are you in?"),
                StepScriptProvider.call("set_time_zone", #"{"zone": "Mars/Olympus_Mons"}"#),
                StepScriptProvider.call("set_time_zone", #"{"zone": "Europe/Lisbon"}"#, id: "call_2"),
                StepScriptProvider.text("Got it: Lisbon time."),
            ], asksTimeZone: true
        ) { chat in
            try await chat.ask("schedule a post for tomorrow at 10 on mastodon")
            #expect(chat.provider.requests[0].messages[0].content.contains("time zone is not known yet"))
            #expect(chat.provider.requests[0].tools.map(\.name).contains("set_time_zone"))

            try await chat.ask("I'm in Lisbon")
            let requests = chat.provider.requests
            #expect(requests.count == 4)
            // A name that is no IANA zone comes back as an error the model can fix.
            #expect(requests[2].messages.last?.toolResult?.isError == true)
            #expect(requests[2].messages.last?.toolResult?.content.contains("not an IANA time zone") == true)
            #expect(requests[3].messages.last?.toolResult?.isError == false)
            let stored = try await UserStore(pool: chat.harness.database.app).ownZone(of: chat.userID, tenant: chat.harness.tenant.tenantID)
            #expect(stored == "Europe/Lisbon")
            // From then on the model is told the person's time in Lisbon, and not asked to ask again.
            try await chat.ask("now schedule it")
            let later = try #require(chat.provider.requests.last?.messages.first?.content)
            #expect(later.contains("Europe/Lisbon") && !later.contains("not known yet"))
        }
    }

    @Test func aBriefIsWrittenByThePolicysDraftChainAndBilledWithTheAnswer() async throws {
        let writer = StepScriptProvider([StepScriptProvider.text("Spring is here: 20% off everything this weekend! 🌷")])
        try await withChat(
            [
                StepScriptProvider.call("draft_post", #"{"brief": "spring sale, 20% off, this weekend", "platforms": ["mastodon"]}"#),
                StepScriptProvider.text("Here is the draft."),
            ], writer: writer
        ) { chat in
            try await chat.ask("Write a post about our spring sale for mastodon")
            // The drafting chain got the brief and the brand's context, and wrote the text.
            let asked = try #require(writer.requests.first)
            #expect(asked.messages.last?.content == "spring sale, 20% off, this weekend")
            #expect(asked.messages.first?.content.contains("Write the text of one social media post for mastodon") == true)
            #expect(asked.tools.isEmpty)
            let post = try #require(try await chat.posts().first)
            #expect(post.text == "Spring is here: 20% off everything this weekend! 🌷")
            // The chat model reads what was written; the person saw none of the writer's text streamed.
            #expect(chat.provider.requests[1].messages.last?.toolResult?.content.contains("Spring is here") == true)
            let deltas = try await chat.events().filter { $0.kind == .messageDelta }.compactMap { $0.data["text"] as? String }.joined()
            #expect(deltas == "Here is the draft.")
            // Both models' calls are billed to the answer.
            let usage = try await chat.harness.database.app.withTenantTransaction(chat.harness.tenant.tenantID.rawValue) { connection in
                try connection.query("SELECT model FROM usage_records ORDER BY created_at").map { try $0.decode(String.self, column: "model") }
            }
            #expect(usage.sorted() == ["scripted", "scripted", "writer"])
        }
    }

    @Test func aPhotoThePersonSentIsAttachedByItsMediaIDAndOnlyFromThisConversation() async throws {
        let png = Array(
            Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")!)
        let reference = MediaReference(kind: "image", reference: "upload:" + SHA256.hexDigest(png))
        let id = MediaLibrary.mediaID(reference, channel: "web", tenant: TenantID(UUID()))
        try await withChat([
            StepScriptProvider.call("draft_post", #"{"text": "Tulips!", "platforms": ["mastodon"], "media": [{"media_id": "m_0000000000000000"}]}"#),
            StepScriptProvider.call(
                "draft_post", #"{"text": "Tulips!", "platforms": ["mastodon"], "media": [{"media_id": "\#(id)"}]}"#, id: "call_2"),
            StepScriptProvider.text("Mastodon cannot take the photo yet."),
        ]) { chat in
            _ = try await chat.uploads.accept(png, tenant: chat.harness.tenant.tenantID)
            try await chat.ask("Post this photo on mastodon", media: [reference])
            let requests = chat.provider.requests
            // The model saw the image with the id it can attach it by.
            let question = try #require(requests.first?.messages.last)
            #expect(question.images.isEmpty, "the scripted model takes no images; it reads the note and the id")
            #expect(question.content.contains("[image media_id: \(id)]"))
            // An id of no image in this conversation is not found; the real one is resolved, and the
            // Mastodon plugin, which cannot upload media yet, refuses the draft in its own words.
            #expect(requests[1].messages.last?.toolResult?.content.contains("no image m_0000000000000000 in this conversation") == true)
            let refusal = try #require(requests[2].messages.last?.toolResult)
            #expect(refusal.isError && refusal.content.contains("Media upload is not supported yet by the Mastodon plugin"))
            #expect(try await chat.posts().isEmpty, "nothing is drafted that the platform would refuse")
        }
    }

    @Test func aDraftWithNeitherBriefNorTextIsAnErrorTheModelCanFix() async throws {
        try await withChat([
            StepScriptProvider.call("draft_post", #"{"platforms": ["mastodon"]}"#),
            StepScriptProvider.text("Sorry."),
        ]) { chat in
            try await chat.ask("post something on mastodon")
            let result = try #require(chat.provider.requests[1].messages.last?.toolResult)
            #expect(result.isError && result.content.contains("give brief"))
            #expect(try await chat.posts().isEmpty)
        }
    }

    @Test func withoutRequiredConfirmationTheDraftIsPublishedAtOnce() async throws {
        try await withChat([
            StepScriptProvider.call("draft_post", #"{"text": "Doors open at 9 today.", "platforms": ["mastodon"]}"#),
            StepScriptProvider.text("It is on its way to Mastodon."),
        ]) { chat in
            try await PolicyStore(pool: chat.harness.database.app, rules: TestEnvironment.policyRules()).apply(
                "posts: {require_confirmation: false}", tenant: chat.harness.tenant.tenantID)
            try await chat.ask("Post that our doors open at 9 today on mastodon")
            let result = try #require(chat.provider.requests[1].messages.last?.toolResult)
            #expect(!result.isError)
            #expect(result.content.contains("Confirmed without asking"))
            let post = try #require(try await chat.posts().first)
            let settled = try await chat.harness.settled(post.id)
            #expect(settled.targets.map(\.status) == [.published])
            #expect(chat.harness.mastodon.ledger.posts.map(\.text) == ["Doors open at 9 today."])
        }
    }

    @Test func aScheduledDraftIsShownInThePersonsZoneAndRescheduledForReal() async throws {
        let tomorrow = LocalTime.iso(Date().addingTimeInterval(86_400), in: TimeZone(identifier: "Europe/Berlin")!)
        try await withChat(
            [
                StepScriptProvider.call(
                    "draft_post", #"{"text": "Tomorrow's news", "platforms": ["mastodon"], "scheduled_at": ""# + tomorrow + #""}"#),
                StepScriptProvider.text("Drafted for tomorrow."),
            ], zone: "Europe/Berlin"
        ) { chat in
            try await chat.ask("schedule a post for tomorrow")
            let result = try #require(chat.provider.requests[1].messages.last?.toolResult)
            let fields = try #require(JSONValue.parse(result.content)?.objectValue)
            #expect(fields["scheduled_at"] == .string(tomorrow))
            guard case .string(let local)? = fields["scheduled_local"] else { throw TestEnvironmentError(message: "no local time in \(fields)") }
            #expect(local.hasSuffix("Europe/Berlin"))
            let post = try #require(try await chat.posts().first)
            let preview = try #require(try await chat.events().first { $0.kind == .postPreview })
            #expect((preview.data["scheduled_local"] as? String)?.hasSuffix("Europe/Berlin") == true)
            #expect(try await chat.harness.call("POST", "/v1/posts/\(post.id)/publish").status == 202)

            // Moved from tomorrow to two seconds from now: it goes out, so the job really moved.
            let soon = LocalTime.iso(Date().addingTimeInterval(2), in: TimeZone(identifier: "Europe/Berlin")!)
            let publisher = PublishingTools(
                redis: chat.harness.redis, postgres: chat.harness.database.app, masterKey: PublishHarness.masterKey, plugins: chat.harness.registry,
                policyRules: TestEnvironment.policyRules(), logger: TestEnvironment.logger(), publishStage: chat.harness.stage)
            let context = ToolContext(
                tenant: chat.harness.tenant.tenantID, userID: chat.userID, conversationID: chat.conversation.id, channel: "web",
                timeZone: TimeZone(identifier: "Europe/Berlin")!, now: Date(), policy: .default)
            let moved = try await ToolBox(publisher.all).run(
                ToolCall(id: "c", name: "reschedule_post", arguments: #"{"id": ""# + post.id.uuidString + #"", "at": ""# + soon + #""}"#),
                context: context)
            #expect(moved.error == nil)
            let settled = try await chat.harness.settled(post.id)
            #expect(settled.targets.map(\.status) == [.published])
            #expect(chat.harness.mastodon.ledger.posts.count == 1)

            // In the past, another person's post, an unknown field: errors the model can read.
            let past = try await ToolBox(publisher.all).run(
                ToolCall(id: "c", name: "reschedule_post", arguments: #"{"id": ""# + post.id.uuidString + #"", "at": "2020-01-01T10:00:00+01:00"}"#),
                context: context)
            #expect(past.error == .refused)
            var stranger = context
            stranger.userID = try await UserStore(pool: chat.harness.database.app).resolve(name: "bob", tenant: chat.harness.tenant.tenantID)
            let foreign = try await ToolBox(publisher.all).run(
                ToolCall(id: "c", name: "cancel_post", arguments: #"{"id": ""# + post.id.uuidString + #""}"#), context: stranger)
            #expect(foreign.error == .notFound)
            let typo = try await ToolBox(publisher.all).run(ToolCall(id: "c", name: "list_posts", arguments: #"{"stat": "draft"}"#), context: context)
            #expect(typo.error == .invalidArguments)
        }
    }

    @Test func aCancelledDraftPublishesNothing() async throws {
        try await withChat([
            StepScriptProvider.call("draft_post", #"{"text": "Maybe later", "platforms": ["mastodon"]}"#),
            StepScriptProvider.text("Drafted."),
        ]) { chat in
            try await chat.ask("draft something")
            let post = try #require(try await chat.posts().first)
            let cancelled = try await chat.harness.call("DELETE", "/v1/posts/\(post.id)")
            #expect(cancelled.status == 200)
            #expect(try await chat.harness.call("POST", "/v1/posts/\(post.id)/publish").status == 409)
            try await Task.sleep(for: .milliseconds(300))
            #expect(chat.harness.mastodon.ledger.posts.isEmpty)
        }
    }

    @Test func aModelThatKeepsCallingToolsIsStoppedAndThePersonTold() async throws {
        try await withChat([StepScriptProvider.call("list_posts", "{}")]) { chat in
            try await chat.ask("what is scheduled?")
            #expect(chat.provider.requests.count == RoutingPolicy.default.toolMaxSteps)
            let events = try await chat.events()
            #expect(events.last?.kind == .messageFailed)
            #expect(events.last?.data["code"] as? String == "tool_steps_exhausted")
        }
    }

    @Test func argumentsThatAreNotJSONOrAToolNotOfferedComeBackAsErrors() async throws {
        try await withChat([
            StepScriptProvider.call("draft_post", #"{"text": "cut off"#),
            StepScriptProvider.call("delete_everything", "{}", id: "call_2"),
            StepScriptProvider.text("Sorry, I could not do that."),
        ]) { chat in
            try await chat.ask("do something odd")
            let requests = chat.provider.requests
            #expect(requests.count == 3)
            #expect(requests[1].messages.last?.toolResult?.content.contains("invalid_arguments") == true)
            #expect(requests[2].messages.last?.toolResult?.content.contains("unknown_tool") == true)
            #expect(try await chat.posts().isEmpty)
            #expect(try await chat.events().last?.kind == .messageCompleted)
        }
    }

    @Test func aPersonSetsTheirTimeZoneAndANameThatIsNoZoneIsRefused() async throws {
        try await withChat([]) { chat in
            let token = try chat.harness.signer.sign(
                JWTClaims(sub: "ana", tid: chat.harness.tenant.tenantID.description, lifetime: .seconds(600)))
            let unset = try await chat.harness.call("GET", "/v1/me/time-zone", credential: token)
            #expect(PublishHarness.object(unset.body)["effective"] as? String == "UTC")
            let wrong = try await chat.harness.call("PUT", "/v1/me/time-zone", json: #"{"time_zone": "Mars/Olympus"}"#, credential: token)
            #expect(wrong.status == 400)
            let set = try await chat.harness.call("PUT", "/v1/me/time-zone", json: #"{"time_zone": "Europe/Berlin"}"#, credential: token)
            #expect(set.status == 200)
            #expect(PublishHarness.object(set.body)["effective"] as? String == "Europe/Berlin")
            let zone = try await UserStore(pool: chat.harness.database.app).zone(of: chat.userID, tenant: chat.harness.tenant.tenantID)
            #expect(zone.identifier == "Europe/Berlin")
        }
    }

    @Test func aDraftEditedInPlaceIsMeasuredAgainAndPublishedAsEdited() async throws {
        try await withChat([
            StepScriptProvider.call("draft_post", #"{"text": "First words", "platforms": ["mastodon"]}"#), StepScriptProvider.text("Drafted."),
        ]) { chat in
            try await chat.ask("post something on mastodon")
            let post = try #require(try await chat.posts().first)
            let tooLong = String(repeating: "a", count: 501)
            let refused = try await chat.harness.call("PATCH", "/v1/posts/\(post.id)", json: #"{"text": ""# + tooLong + #""}"#)
            #expect(refused.status == 400)
            #expect(refused.body.contains("post_does_not_fit"))
            #expect(try await chat.harness.post(post.id)?.text == "First words")  // nothing changed
            let edited = try await chat.harness.call("PATCH", "/v1/posts/\(post.id)", json: #"{"text": "Better words"}"#)
            #expect(edited.status == 200)
            let previews = try await chat.events().filter { $0.kind == .postPreview }
            #expect(previews.map { $0.data["text"] as? String } == ["First words", "Better words"])
            #expect(try await chat.harness.call("POST", "/v1/posts/\(post.id)/publish").status == 202)
            _ = try await chat.harness.settled(post.id)
            #expect(chat.harness.mastodon.ledger.posts.map(\.text) == ["Better words"])
            // A confirmed post's text is what was agreed.
            #expect(try await chat.harness.call("PATCH", "/v1/posts/\(post.id)", json: #"{"text": "Later words"}"#).status == 409)
        }
    }

    @Test func aConfirmAfterTheScheduledTimePassedIsRefusedAndPublishesNothing() async throws {
        try await withChat([
            StepScriptProvider.call("draft_post", #"{"text": "Late news", "platforms": ["mastodon"]}"#), StepScriptProvider.text("Drafted."),
        ]) { chat in
            try await chat.ask("post something on mastodon")
            let post = try #require(try await chat.posts().first)
            // As if the draft had waited two hours past its time.
            _ = try await PostStore(pool: chat.harness.database.app).reschedule(
                post.id, to: Date().addingTimeInterval(-7_200), tenant: chat.harness.tenant.tenantID)
            let late = try await chat.harness.call("POST", "/v1/posts/\(post.id)/publish")
            #expect(late.status == 409)
            #expect(late.body.contains("has passed"))
            #expect(try await chat.harness.post(post.id)?.status == .draft)
            try await Task.sleep(for: .milliseconds(300))
            #expect(chat.harness.mastodon.ledger.posts.isEmpty)
        }
    }
}
