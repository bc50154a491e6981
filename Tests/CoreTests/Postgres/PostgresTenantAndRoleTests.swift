import Foundation
import LeopostCore
import Testing

@Suite("PostgreSQL tenant door and role")
struct PostgresTenantAndRoleTests {
    private static let currentTenant: SQL = "SELECT current_setting('app.current_tenant', true) AS tenant"

    @Test func tenantTransactionSetsTheTenantOnlyInside() async throws {
        let tenant = UUID()
        try await PostgresTestDatabase.withPool(maxConnections: 1) { pool in
            let inside = try await pool.withTenantTransaction(tenant) { connection in
                try connection.query(Self.currentTenant).singleRow?.decode(String?.self, column: "tenant")
            }
            #expect(inside == tenant.uuidString.lowercased())
            let afterCommit = try await pool.withTransaction { connection in
                try connection.query(Self.currentTenant).singleRow?.decode(String?.self, column: "tenant")
            }
            #expect((afterCommit ?? nil ?? "").isEmpty, "a fresh transaction must not see the last tenant")

            struct Boom: Error {}
            await #expect(throws: Boom.self) {
                try await pool.withTenantTransaction(UUID()) { _ in throw Boom() }
            }
            let afterRollback = try await pool.query(Self.currentTenant).singleRow?.decode(String?.self, column: "tenant")
            #expect((afterRollback ?? nil ?? "").isEmpty)
        }
    }

    @Test func configuredRoleIsSetOnEveryConnection() async throws {
        let role = "Leopost Test \(PostgresTestDatabase.uniqueName("role"))"
        let quoted = "\"\(role)\""
        try await PostgresTestDatabase.withPool(maxConnections: 1) { admin in
            try await admin.execute("CREATE ROLE \(unsafe: quoted) NOLOGIN")
            do {
                var configuration = try PostgresTestDatabase.configuration(maxConnections: 2)
                configuration.role = role
                let users = try await PostgresTestDatabase.withPool(configuration) { pool in
                    async let first = pool.query("SELECT current_user AS who, pg_sleep(0.05)")
                    async let second = pool.query("SELECT current_user AS who, pg_sleep(0.05)")
                    return try await [first, second].map { try $0.singleRow?.decode(String.self, column: "who") }
                }
                #expect(users == [role, role])
            } catch {
                try await admin.execute("DROP ROLE \(unsafe: quoted)")
                throw error
            }
            try await admin.execute("DROP ROLE \(unsafe: quoted)")
        }
    }

    @Test func unknownRoleFailsTheConnection() async throws {
        var configuration = try PostgresTestDatabase.configuration(maxConnections: 1)
        configuration.role = PostgresTestDatabase.uniqueName("leopost_no_such_role")
        let error = try await PostgresTestDatabase.withPool(configuration) { pool in
            try await #require(throws: PostgresError.self) { try await pool.query("SELECT 1") }
        }
        #expect(error.code == .connectionFailed)
        #expect(error.message.contains("SET ROLE"))
        #expect(error.sqlState == "22023")
    }
}
