public import Foundation

/// Tenants' social accounts in PostgreSQL, one per platform. The token is sealed with AES-256-GCM
/// under the master key, bound to the tenant and the platform, and opened only for a publish call.
public struct SocialAccountStore: Sendable {
    private let pool: PostgresPool
    private let masterKey: SymmetricKey

    /// Creates a store over the server's pool.
    public init(pool: PostgresPool, masterKey: SymmetricKey) {
        self.pool = pool
        self.masterKey = masterKey
    }

    /// Stores the tenant's account for `account.platform`, replacing an earlier one; it is
    /// connected again (a new token is how a person fixes an expired one).
    public func put(_ account: SocialAccount, tenant: TenantID) async throws {
        let sealed = try AESGCM.seal(Array(account.accessToken.utf8), using: masterKey, authenticating: Self.context(account.platform, tenant))
        let settings = String(decoding: try JSONCoding.encoder.encode(account.settings), as: UTF8.self)
        _ = try await pool.tenantQuery(
            tenant.rawValue,
            """
            INSERT INTO social_accounts (id, tenant_id, platform, account_name, sealed_tokens, expires_at, account_id, base_url, settings)
            VALUES (\(account.id), \(tenant.rawValue), \(account.platform), 'default', \(sealed), \(account.expiresAt),
                    \(account.accountID), \(account.baseURL), \(settings)::jsonb)
            ON CONFLICT (tenant_id, platform, account_name) DO UPDATE SET
                sealed_tokens = excluded.sealed_tokens, expires_at = excluded.expires_at, account_id = excluded.account_id,
                base_url = excluded.base_url, settings = excluded.settings, status = 'connected', status_reason = NULL, updated_at = now()
            """
        )
    }

    /// The tenant's account for `platform`, token opened; `nil` when it has none.
    public func account(platform: String, tenant: TenantID) async throws -> SocialAccount? {
        try await accounts(tenant: tenant, platform: platform, open: true).first
    }

    /// The tenant's accounts, tokens left sealed (`accessToken` empty).
    public func accounts(tenant: TenantID) async throws -> [SocialAccount] {
        try await accounts(tenant: tenant, platform: nil, open: false)
    }

    /// Records what a platform said about the account (an expired token, a lost permission).
    public func mark(platform: String, _ status: SocialAccount.Status, reason: String, tenant: TenantID) async throws {
        _ = try await pool.tenantQuery(
            tenant.rawValue,
            "UPDATE social_accounts SET status = \(status.rawValue), status_reason = \(reason), updated_at = now() WHERE platform = \(platform)")
    }

    private func accounts(tenant: TenantID, platform: String?, open: Bool) async throws -> [SocialAccount] {
        let rows = try await pool.tenantQuery(
            tenant.rawValue,
            """
            SELECT id, platform, account_id, base_url, settings::text AS settings, sealed_tokens, expires_at, status, status_reason
            FROM social_accounts WHERE account_name = 'default' AND (\(platform)::text IS NULL OR platform = \(platform)) ORDER BY platform
            """
        ).map { row in
            (
                SocialAccount(
                    id: try row.decode(UUID.self, column: "id"), platform: try row.decode(String.self, column: "platform"),
                    accountID: try row.decode(String.self, column: "account_id"), baseURL: try row.decode(String?.self, column: "base_url"),
                    settings: try JSONCoding.decoder.decode(
                        [String: String].self, from: Data(try row.decode(String.self, column: "settings").utf8)),
                    accessToken: "", expiresAt: try row.decode(Date?.self, column: "expires_at"),
                    status: SocialAccount.Status(rawValue: try row.decode(String.self, column: "status")) ?? .disconnected,
                    statusReason: try row.decode(String?.self, column: "status_reason")
                ),
                try row.decode([UInt8].self, column: "sealed_tokens")
            )
        }
        return try rows.map { account, sealed in
            guard open else { return account }
            var opened = account
            opened.accessToken = String(
                decoding: try AESGCM.open(sealed, using: masterKey, authenticating: Self.context(account.platform, tenant)), as: UTF8.self)
            return opened
        }
    }

    static func context(_ platform: String, _ tenant: TenantID) -> [UInt8] {
        Array("leopost.social-account:\(tenant):\(platform)".utf8)
    }
}
