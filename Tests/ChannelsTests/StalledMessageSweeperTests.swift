import Foundation
import LeopostChannels
import LeopostCore
import LeopostTestSupport
import Testing

/// A message stored without its router job (the job never reached Redis) is found by the sweeper,
/// across tenants, through ids only, and answered once.
@Suite("Stalled messages: stored means answered")
struct StalledMessageSweeperTests {
    /// Stores a message as the gateway does, minus the job, `age` seconds old.
    static func storeWithoutJob(_ text: String, chat: ChatHarness, tenant: TenantID, age: Int) async throws -> (message: UUID, conversation: UUID) {
        let store = ConversationStore(pool: chat.database.app)
        let user = try await UserStore(pool: chat.database.app).resolve(name: "ana", tenant: tenant)
        let conversation = try await store.create(tenant: tenant, userID: user, channel: "web")
        let stored = try await store.appendInbound(tenant: tenant, conversationID: conversation.id, channel: "web", parts: [.text(text)])
        try await chat.database.owner.execute("UPDATE messages SET created_at = now() - make_interval(secs => \(age)) WHERE id = \(stored.id)")
        return (stored.id, conversation.id)
    }

    static func answers(to message: UUID, chat: ChatHarness, tenant: TenantID) async throws -> Int {
        try await chat.database.app.withTenantTransaction(tenant.rawValue) { connection in
            try connection.query("SELECT count(*)::int AS n FROM messages WHERE reply_to = \(message) AND status = 'completed'")[0].decode(
                Int.self, column: "n")
        }
    }

    @Test func aMessageWhoseJobWasLostIsQueuedAgainAndAnsweredOnce() async throws {
        try await ChatHarness.with { chat in
            let other = try await TenantStore(pool: chat.database.app).createTenant(name: "Other").tenantID
            let lost = try await Self.storeWithoutJob("Plan a post about tulips", chat: chat, tenant: chat.tenant.tenantID, age: 120)
            let lostElsewhere = try await Self.storeWithoutJob("Plan a post about roses", chat: chat, tenant: other, age: 120)
            let recent = try await Self.storeWithoutJob("Plan a post about lilies", chat: chat, tenant: chat.tenant.tenantID, age: 0)
            let sweeper = StalledMessageSweeper(
                postgres: chat.database.app, redis: chat.redis, routerStage: chat.stage, configuration: .init(waited: .seconds(60)),
                logger: TestEnvironment.logger())
            // Both tenants' lost messages, not the one that has not waited long enough.
            #expect(try await sweeper.sweep() == 2)
            try await eventually("both answers") {
                let here = try await Self.answers(to: lost.message, chat: chat, tenant: chat.tenant.tenantID)
                let there = try await Self.answers(to: lostElsewhere.message, chat: chat, tenant: other)
                return here == 1 && there == 1
            }
            // Answered: nothing is left to queue, and nothing was answered twice.
            #expect(try await sweeper.sweep() == 0)
            #expect(try await Self.answers(to: recent.message, chat: chat, tenant: chat.tenant.tenantID) == 0)
            #expect(try await Self.answers(to: lost.message, chat: chat, tenant: chat.tenant.tenantID) == 1)
        }
    }

    @Test func aMessageWhoseJobIsStillQueuedIsNotQueuedTwice() async throws {
        try await ChatHarness.with(runWorker: false) { chat in
            let waiting = try await Self.storeWithoutJob("Plan a post about tulips", chat: chat, tenant: chat.tenant.tenantID, age: 120)
            let conversation = try #require(
                try await ConversationStore(pool: chat.database.app).conversation(waiting.conversation, tenant: chat.tenant.tenantID, userID: nil))
            let intake = ConversationIntake(
                conversations: ConversationStore(pool: chat.database.app), router: StageQueue(stage: chat.stage, redis: chat.redis),
                events: ConversationEventLog(redis: chat.redis))
            #expect(
                try await intake.queueAnswer(
                    messageID: waiting.message, conversation: conversation, from: conversation.userID, tenant: chat.tenant.tenantID))
            let sweeper = StalledMessageSweeper(
                postgres: chat.database.app, redis: chat.redis, routerStage: chat.stage, configuration: .init(waited: .seconds(60)),
                logger: TestEnvironment.logger())
            #expect(try await sweeper.sweep() == 0)
            #expect(try await StageQueue(stage: chat.stage, redis: chat.redis).backlog().pending == 1)
        }
    }

    @Test func theServerRoleAndTheSweeperRoleSeeOnlyIdsAcrossTenants() async throws {
        try await ChatHarness.with(runWorker: false) { chat in
            _ = try await Self.storeWithoutJob("A secret plan", chat: chat, tenant: chat.tenant.tenantID, age: 120)
            let columns = try await chat.database.app.query("SELECT * FROM leopost_stalled_messages(60, 3600, 10)")
            #expect(columns.count == 1)
            #expect(Set(columns.columnNames) == ["tenant_id", "message_id"])
            // Without a tenant the server's role still sees no message.
            #expect(try await chat.database.app.query("SELECT count(*)::int AS n FROM messages")[0].decode(Int.self, column: "n") == 0)
            // The sweeper's role itself reads ids across tenants, and no text.
            let (ids, refusal) = try await chat.database.owner.withConnection { connection in
                _ = try connection.execute("SET ROLE leopost_sweeper")
                defer { _ = try? connection.execute("RESET ROLE") }
                let ids = try connection.query("SELECT id FROM messages").count
                do {
                    _ = try connection.query("SELECT parts FROM messages")
                    return (ids, "")
                } catch let error as PostgresError {
                    return (ids, error.sqlState ?? "")
                }
            }
            #expect(ids == 1)
            #expect(refusal == "42501")
        }
    }
}
