import Foundation
import LeopostTestSupport
import Testing

@testable import LeopostCore

/// Puts one row of tenant `tenant` in every tenant table, through that tenant's door.
func seedEveryTable(_ tenant: TenantID, in database: TestDatabase) async throws {
    let t = tenant.rawValue
    let (user, connection, conversation, message, account, post) = (UUID(), UUID(), UUID(), UUID(), UUID(), UUID())
    try await database.app.withTenantTransaction(t) { db in
        try db.execute("INSERT INTO tenants (tenant_id, name) VALUES (\(t), 'tenant')")
        try db.execute("INSERT INTO api_keys (id, tenant_id, key_hash) VALUES (\(UUID()), \(t), \(Array(t.uuidString.utf8)))")
        try db.execute("INSERT INTO users (id, tenant_id, name) VALUES (\(user), \(t), 'ada')")
        try db.execute("INSERT INTO identities (id, tenant_id, user_id, channel, external_id) VALUES (\(UUID()), \(t), \(user), 'telegram', '42')")
        try db.execute("INSERT INTO channel_connections (id, tenant_id, channel, name) VALUES (\(connection), \(t), 'telegram', 'bot')")
        try db.execute(
            "INSERT INTO conversations (id, tenant_id, user_id, channel, connection_id) VALUES (\(conversation), \(t), \(user), 'telegram', \(connection))"
        )
        try db.execute(
            """
            INSERT INTO messages (id, tenant_id, conversation_id, direction, channel, parts, external_id)
            VALUES (\(message), \(t), \(conversation), 'inbound', 'telegram', '[{"text":"hi"}]', '1')
            """
        )
        try db.execute("INSERT INTO brand_profiles (tenant_id, name) VALUES (\(t), 'Brand')")
        try db.execute("INSERT INTO policies (tenant_id, document) VALUES (\(t), 'providers: {}')")
        try db.execute("INSERT INTO usage_records (id, tenant_id, provider, model, outcome) VALUES (\(UUID()), \(t), 'offline', 'x', 'ok')")
        try db.execute(
            "INSERT INTO social_accounts (id, tenant_id, platform, account_name, sealed_tokens) VALUES (\(account), \(t), 'mastodon', '@a', \([UInt8]([1])))"
        )
        try db.execute("INSERT INTO posts (id, tenant_id, conversation_id, text) VALUES (\(post), \(t), \(conversation), 'hello')")
        try db.execute(
            """
            INSERT INTO post_targets (id, tenant_id, post_id, platform, social_account_id, idempotency_key)
            VALUES (\(UUID()), \(t), \(post), 'mastodon', \(account), \(UUID().uuidString))
            """
        )
        try db.execute("INSERT INTO feedback (id, tenant_id, message_id, rating) VALUES (\(UUID()), \(t), \(message), 'up')")
    }
}

@Suite("Tenant isolation by row-level security")
struct TenantIsolationTests {
    let logger = TestEnvironment.logger()

    @Test func aTenantSeesNoneOfAnotherTenantsRowsInAnyTable() async throws {
        try await TestDatabase.with(logger: logger) { database in
            let a = TenantID.random()
            let b = TenantID.random()
            try await seedEveryTable(a, in: database)
            try await seedEveryTable(b, in: database)
            for table in Migration.tenantTables {
                // No WHERE clause: row-level security alone must keep B's rows out.
                let seen = try await database.app.withTenantTransaction(a.rawValue) { db in
                    try db.query(SQL(unsafe: "SELECT tenant_id FROM \(table)")).map { try $0.decode(UUID.self, at: 0) }
                }
                #expect(!seen.isEmpty, "\(table) should show tenant A its own row")
                #expect(seen.allSatisfy { $0 == a.rawValue }, "\(table) leaked another tenant's rows")
            }
        }
    }

    @Test func withoutATenantTheServerRoleSeesNothing() async throws {
        try await TestDatabase.with(logger: logger) { database in
            try await seedEveryTable(TenantID.random(), in: database)
            for table in Migration.tenantTables {
                let count = try await database.app.query(SQL(unsafe: "SELECT count(*) FROM \(table)")).first?.decode(Int.self, at: 0)
                #expect(count == 0, "\(table) is visible without a tenant")
            }
        }
    }

    @Test func aTenantCanNeitherWriteNorChangeAnotherTenantsRows() async throws {
        try await TestDatabase.with(logger: logger) { database in
            let a = TenantID.random()
            let b = TenantID.random()
            try await seedEveryTable(a, in: database)
            try await seedEveryTable(b, in: database)
            // Insert a row labelled with B while acting as A: refused by the policy's WITH CHECK.
            await #expect {
                try await database.app.withTenantTransaction(a.rawValue) { db in
                    try db.execute("INSERT INTO users (id, tenant_id, name) VALUES (\(UUID()), \(b.rawValue), 'mallory')")
                }
            } throws: { ($0 as? PostgresError)?.sqlState == "42501" }
            // Update or delete everything as A: B's rows are untouched.
            _ = try await database.app.withTenantTransaction(a.rawValue) { db in
                try db.execute("UPDATE posts SET text = 'defaced'")
                return try db.execute("DELETE FROM feedback")
            }
            let bPosts = try await database.app.withTenantTransaction(b.rawValue) { db in
                try db.query("SELECT text FROM posts").map { try $0.decode(String.self, at: 0) }
            }
            #expect(bPosts == ["hello"])
            // A reference to B's conversation from A's message fails the composite foreign key.
            let bConversation = try await database.app.withTenantTransaction(b.rawValue) { db in
                try db.query("SELECT id FROM conversations").first!.decode(UUID.self, at: 0)
            }
            await #expect {
                try await database.app.withTenantTransaction(a.rawValue) { db in
                    try db.execute(
                        """
                        INSERT INTO messages (id, tenant_id, conversation_id, direction, channel, parts)
                        VALUES (\(UUID()), \(a.rawValue), \(bConversation), 'inbound', 'web', '[]')
                        """
                    )
                }
            } throws: { ($0 as? PostgresError)?.sqlState == "23503" }
        }
    }

    @Test func theServerRoleOwnsNothingAndCannotBypassSecurity() async throws {
        try await TestDatabase.with(logger: logger) { database in
            let owned = try await database.owner.query("SELECT count(*) FROM pg_tables WHERE tableowner = 'leopost_app'")
            #expect(try owned.first?.decode(Int.self, at: 0) == 0)
            let role = try await database.owner.query("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'leopost_app'")
            #expect(try role.first?.decode(Bool.self, at: 0) == false)
            #expect(try role.first?.decode(Bool.self, at: 1) == false)
            // Every table but the migrations ledger has row-level security enabled and forced,
            // so a table added later without a policy fails here.
            let unprotected = try await database.owner.query(
                """
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'leopost_schema_migrations'
                AND NOT (c.relrowsecurity AND c.relforcerowsecurity)
                """
            ).map { try $0.decode(String.self, at: 0) }
            #expect(unprotected == [])
        }
    }
}
