import Foundation
import LeopostChannels
import LeopostCore
import LeopostTestSupport
import Synchronization
import Testing

/// A channel registered only in this test, never named in Core: its declared capabilities alone
/// decide whether an answer is streamed, delivered, or shown growing.
final class RecordingChannel: ChannelAdapter, @unchecked Sendable {
    let kind: String
    let capabilities: ChannelCapabilities
    private let recorded = Mutex<[(kind: String, text: String)]>([])

    init(kind: String, capabilities: ChannelCapabilities) {
        self.kind = kind
        self.capabilities = capabilities
    }

    /// `send` and `edit` calls, in order.
    var calls: [(kind: String, text: String)] { recorded.withLock { $0 } }

    func send(_ pieces: [String], for message: OutboundMessage, idempotencyKey: String) async throws -> DeliveryReceipt {
        recorded.withLock { $0 += pieces.map { ("send", $0) } }
        return DeliveryReceipt(externalIDs: pieces.indices.map { "m\($0)" })
    }

    func edit(_ piece: String, externalID: String, for message: OutboundMessage) async throws {
        recorded.withLock { $0.append(("edit", piece)) }
    }
}

@Suite("Channels are what their adapters declare")
struct ChannelCapabilityTests {
    static func finished(_ events: [ServerSentEvent]) -> Bool { events.contains { $0.event == "message.completed" } }

    @Test func aNewChannelIsStreamedDeliveredOrShownGrowingByItsCapabilitiesAlone() async throws {
        let pigeon = RecordingChannel(kind: "pigeon", capabilities: ChannelCapabilities(maxMessageLength: 500))
        let mirror = RecordingChannel(
            kind: "mirror", capabilities: ChannelCapabilities(maxMessageLength: 500, canEditSentMessage: true, canStream: true))
        let slate = RecordingChannel(kind: "slate", capabilities: ChannelCapabilities(maxMessageLength: 500, canEditSentMessage: true))
        let paced = ScriptedProvider(pieces: ["Tulips ", "are ", "in ", "season."], pause: .milliseconds(400))
        let chains: ChatRouter.ChainFactory = { _, _, _ in ProviderChain(entries: [.init(name: "paced", provider: paced, model: "m")]) }
        try await ChatHarness.with(chains: chains, extraChannels: [pigeon, mirror, slate]) { chat in
            let tenant = chat.tenant.tenantID
            let alice = try await UserStore(pool: chat.database.app).resolve(name: "alice", tenant: tenant)
            let conversations = ConversationStore(pool: chat.database.app)
            let intake = ConversationIntake(
                conversations: conversations, router: StageQueue(stage: chat.stage, redis: chat.redis),
                events: ConversationEventLog(redis: chat.redis))
            for channel in [pigeon, mirror, slate] {
                let conversation = try await conversations.create(tenant: tenant, userID: alice, channel: channel.kind)
                _ = try await intake.accept([.text("what is in season?")], into: conversation, from: alice, tenant: tenant)
                _ = try await chat.events(
                    of: conversation.id.uuidString, credential: try chat.token("alice"), lastEventID: "0-0", until: Self.finished)
            }
            try await eventually("the deliveries") {
                pigeon.calls.contains { $0.text == "Tulips are in season." } && slate.calls.contains { $0.text == "Tulips are in season." }
            }
            #expect(pigeon.calls.map(\.kind) == ["send"], "cannot stream, cannot edit: the finished answer is sent once")
            #expect(mirror.calls.isEmpty, "it streams: the event stream shows the answer, nothing is delivered")
            #expect(slate.calls.first?.kind == "send" && slate.calls.first?.text != "Tulips are in season.", "it edits: the answer so far first")
            #expect(slate.calls.last?.kind == "edit" && slate.calls.last?.text == "Tulips are in season.", "then grown into the whole answer")
        }
    }
}
