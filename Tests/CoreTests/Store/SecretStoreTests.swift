import Foundation
import LeopostCore
import LeopostTestSupport
import Testing

@Suite("Tenant secrets: sealed at rest, bound to their tenant and name")
struct SecretStoreTests {
    let logger = TestEnvironment.logger()

    @Test func aSecretRoundTripsAndIsNotStoredInTheClear() async throws {
        try await TestDatabase.with(logger: logger) { database in
            let key = try SymmetricKey(bytes: SecureRandom.bytes(count: 32))
            let store = SecretStore(pool: database.app, masterKey: key)
            let tenant = try await TenantStore(pool: database.app).createTenant(name: "Acme").tenantID
            try await store.store("sk-live-abcdef", name: "openai", tenant: tenant)
            #expect(try await store.names(tenant: tenant) == ["openai"])
            #expect(try await store.values(["openai", "absent"], tenant: tenant) == ["openai": "sk-live-abcdef"])
            let raw = try await database.owner.query("SELECT encode(sealed, 'escape') AS sealed FROM tenant_secrets")
            #expect(try !raw[0].decode(String.self, column: "sealed").contains("sk-live"))
            // Another master key cannot open it.
            await #expect(throws: CryptoError.self) {
                _ = try await SecretStore(pool: database.app, masterKey: try SymmetricKey(bytes: SecureRandom.bytes(count: 32))).values(
                    ["openai"], tenant: tenant)
            }
        }
    }

    @Test func aBoxMovedToAnotherTenantOrNameDoesNotOpen() async throws {
        try await TestDatabase.with(logger: logger) { database in
            let key = try SymmetricKey(bytes: SecureRandom.bytes(count: 32))
            let store = SecretStore(pool: database.app, masterKey: key)
            let tenants = TenantStore(pool: database.app)
            let acme = try await tenants.createTenant(name: "Acme").tenantID
            let rival = try await tenants.createTenant(name: "Rival").tenantID
            try await store.store("acme-key", name: "openai", tenant: acme)
            #expect(try await store.values(["openai"], tenant: rival).isEmpty)
            // Copy the sealed box into the rival's row, as someone with database access might.
            try await database.owner.execute(
                "INSERT INTO tenant_secrets (tenant_id, name, sealed) SELECT \(rival.rawValue), 'openai', sealed FROM tenant_secrets WHERE tenant_id = \(acme.rawValue)"
            )
            await #expect(throws: CryptoError.self) { _ = try await store.values(["openai"], tenant: rival) }
        }
    }

    @Test func badNamesAndValuesAreRefused() async throws {
        try await TestDatabase.with(logger: logger) { database in
            let store = SecretStore(pool: database.app, masterKey: try SymmetricKey(bytes: SecureRandom.bytes(count: 32)))
            let tenant = try await TenantStore(pool: database.app).createTenant(name: "Acme").tenantID
            for (value, name) in [("v", ""), ("v", "has space"), ("v", String(repeating: "n", count: 65)), ("", "ok")] {
                await #expect(throws: StoreError.self) { try await store.store(value, name: name, tenant: tenant) }
            }
        }
    }
}
