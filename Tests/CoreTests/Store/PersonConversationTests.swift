import Foundation
import LeopostCore
import LeopostTestSupport
import Testing

/// A chat token's person and their conversation in one statement: their own is found, another
/// person's or another tenant's is not, and a person the tenant has never seen has no id yet.
@Suite("A person's conversation in one statement")
struct PersonConversationTests {
    let logger = TestEnvironment.logger()

    @Test func onlyThePersonsOwnConversationIsFound() async throws {
        try await TestDatabase.with(logger: logger) { database in
            let tenants = TenantStore(pool: database.app)
            let tenant = try await tenants.createTenant(name: "A").tenantID
            let other = try await tenants.createTenant(name: "B").tenantID
            let users = UserStore(pool: database.app)
            let ana = try await users.resolve(name: "ana", tenant: tenant)
            let bo = try await users.resolve(name: "bo", tenant: tenant)
            _ = try await users.resolve(name: "ana", tenant: other)
            let store = ConversationStore(pool: database.app)
            let anas = try await store.create(tenant: tenant, userID: ana, channel: "web", title: "Spring")

            let own = try await store.conversation(anas.id, tenant: tenant, personNamed: "ana")
            #expect(own.userID == ana && own.conversation?.id == anas.id && own.conversation?.title == "Spring")
            let notTheirs = try await store.conversation(anas.id, tenant: tenant, personNamed: "bo")
            #expect(notTheirs.userID == bo && notTheirs.conversation == nil)
            let stranger = try await store.conversation(anas.id, tenant: tenant, personNamed: "cy")
            #expect(stranger.userID == nil && stranger.conversation == nil)
            let otherTenant = try await store.conversation(anas.id, tenant: other, personNamed: "ana")
            #expect(otherTenant.userID != nil && otherTenant.userID != ana && otherTenant.conversation == nil)
            let missing = try await store.conversation(UUID(), tenant: tenant, personNamed: "ana")
            #expect(missing.userID == ana && missing.conversation == nil)
        }
    }
}
