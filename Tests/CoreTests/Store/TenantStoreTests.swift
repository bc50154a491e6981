import LeopostCore
import LeopostTestSupport
import Testing

@Suite("Tenants and API keys")
struct TenantStoreTests {
    let logger = TestEnvironment.logger()

    @Test func aCreatedTenantsKeyAuthenticatesAndNothingElseDoes() async throws {
        try await TestDatabase.with(logger: logger) { database in
            let store = TenantStore(pool: database.app)
            let created = try await store.createTenant(name: "Acme Bakery")
            let other = try await store.createTenant(name: "Other")
            #expect(try await store.tenant(forAPIKey: created.apiKey) == created.tenantID)
            #expect(try await store.exists(created.tenantID))
            // Right shape, wrong secret; another tenant's id with this secret; garbage.
            let wrongSecret = String(created.apiKey.dropLast(4)) + "AAAA"
            #expect(try await store.tenant(forAPIKey: wrongSecret) == nil)
            let secret = created.apiKey.split(separator: "_").last!
            let otherPrefix = other.apiKey.split(separator: "_").dropLast().joined(separator: "_")
            #expect(try await store.tenant(forAPIKey: otherPrefix + "_" + secret) == nil)
            for garbage in ["", "lpk_", "Bearer x", String(repeating: "a", count: 80), "lpk_zz" + String(created.apiKey.dropFirst(6))] {
                #expect(try await store.tenant(forAPIKey: garbage) == nil)
            }
        }
    }

    @Test func tenantNamesAreChecked() async throws {
        try await TestDatabase.with(logger: logger) { database in
            let store = TenantStore(pool: database.app)
            await #expect(throws: StoreError.self) { try await store.createTenant(name: "   ") }
            await #expect(throws: StoreError.self) { try await store.createTenant(name: String(repeating: "x", count: 201)) }
        }
    }
}
