import Foundation
import LeopostCore
import LeopostTestSupport
import Testing

/// The intake stage's one-statement store: a linked sender's message starts or joins its
/// thread's conversation once, an unlinked sender's writes nothing, another tenant sees nothing.
@Suite("Inbound messages stored in one statement")
struct InboundStoreTests {
    let logger = TestEnvironment.logger()

    @Test func aLinkedSendersMessagesJoinOneConversationOnceEachAndAnUnlinkedOnesWriteNothing() async throws {
        try await TestDatabase.with(logger: logger) { database in
            let tenants = TenantStore(pool: database.app)
            let tenant = try await tenants.createTenant(name: "A").tenantID
            let other = try await tenants.createTenant(name: "B").tenantID
            let user = try await UserStore(pool: database.app).resolve(name: "ana", tenant: tenant)
            try await IdentityStore(pool: database.app).link(channel: "telegram", externalID: "42", to: user, tenant: tenant)
            let store = ConversationStore(pool: database.app)
            let connection = try await ChannelConnectionStore(pool: database.app, masterKey: SymmetricKey(bytes: SecureRandom.bytes(count: 32)))
                .create(channel: "telegram", name: "bot", credentials: [:], settings: [:], tenant: tenant).id
            func receive(_ text: String, update: Int, sender: String = "42", tenant: TenantID = tenant) async throws -> StoredInbound? {
                try await store.appendInbound(
                    from: sender, thread: "chat-1", channel: "telegram", connectionID: connection, parts: [.text(text)],
                    externalID: "\(connection):\(update)", tenant: tenant)
            }
            let first = try #require(try await receive("Draft a post about our spring menu", update: 1))
            #expect(first.inserted && first.userID == user)
            #expect(first.conversation.externalThread == "chat-1" && first.conversation.userID == user)
            #expect(first.conversation.title == "Draft a post about our spring menu")
            let again = try #require(try await receive("Draft a post about our spring menu", update: 1))
            #expect(!again.inserted && again.messageID == first.messageID && again.conversation.id == first.conversation.id)
            let second = try #require(try await receive("And one for summer", update: 2))
            #expect(second.inserted && second.conversation.id == first.conversation.id && second.messageID != first.messageID)
            #expect(second.conversation.title == first.conversation.title, "the title comes from the first message only")

            #expect(try await receive("who am I?", update: 3, sender: "99") == nil)
            #expect(try await receive("not yours", update: 4, tenant: other) == nil, "another tenant's identity is not found")
            let history = try await store.messages(conversationID: first.conversation.id, tenant: tenant).messages
            #expect(history.map(\.id) == [first.messageID, second.messageID])
            #expect(try await store.messages(conversationID: first.conversation.id, tenant: other).messages.isEmpty)
        }
    }

    /// The store for a message into a known conversation (the web chat, the intake's long path):
    /// one statement that inserts, titles and touches; the same channel id sent at once from many
    /// tasks is stored once, and every sender gets that one id.
    @Test func aMessageIsStoredOnceByItsChannelIDEvenWhenSentAtOnce() async throws {
        try await TestDatabase.with(logger: logger) { database in
            let tenant = try await TenantStore(pool: database.app).createTenant(name: "A").tenantID
            let user = try await UserStore(pool: database.app).resolve(name: "ana", tenant: tenant)
            let store = ConversationStore(pool: database.app)
            let conversation = try await store.create(tenant: tenant, userID: user, channel: "web")
            let plain = try await store.appendInbound(tenant: tenant, conversationID: conversation.id, channel: "web", parts: [.text("Hello there")])
            #expect(plain.inserted)
            #expect(try await store.conversation(conversation.id, tenant: tenant, userID: nil)?.title == "Hello there")
            let outcomes = try await withThrowingTaskGroup(of: (id: UUID, inserted: Bool, sameParts: Bool).self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await store.appendInbound(
                            tenant: tenant, conversationID: conversation.id, channel: "web", parts: [.text("Once")], externalID: "client-1")
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter(\.inserted).count == 1)
            #expect(Set(outcomes.map(\.id)).count == 1)
            #expect(outcomes.allSatisfy { $0.sameParts })
            // The same id with other parts: not stored, and said so.
            let other = try await store.appendInbound(
                tenant: tenant, conversationID: conversation.id, channel: "web", parts: [.text("Something else")], externalID: "client-1")
            #expect(!other.inserted && !other.sameParts && other.id == outcomes[0].id)
            let history = try await store.messages(conversationID: conversation.id, tenant: tenant).messages
            #expect(history.count == 2)
            #expect(history.last?.id == outcomes[0].id)
        }
    }
}
