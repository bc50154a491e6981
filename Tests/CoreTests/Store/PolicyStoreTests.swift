import LeopostCore
import LeopostTestSupport
import Testing

@Suite("Policies in PostgreSQL")
struct PolicyStoreTests {
    let logger = TestEnvironment.logger()

    @Test func applyValidatesStoresAndIsPerTenant() async throws {
        try await TestDatabase.with(logger: logger) { database in
            let tenants = TenantStore(pool: database.app)
            let a = try await tenants.createTenant(name: "A").tenantID
            let b = try await tenants.createTenant(name: "B").tenantID
            let store = PolicyStore(pool: database.app, rules: PolicyParserTests.rules)
            #expect(try await store.effective(tenant: a) == .default)
            try await store.apply(PolicyParserTests.complete, tenant: a)
            await #expect(throws: PolicyValidationError.self) { try await store.apply("colour: blue\n", tenant: a) }
            #expect(try await store.effective(tenant: a).chains["cheap"]?.first?.model == "gpt-4.1-nano", "a refused document changes nothing")
            #expect(try await store.effective(tenant: b) == .default, "one tenant's policy is not another's")
        }
    }
}
