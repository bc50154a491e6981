import Foundation

/// Secrets a tenant keeps for its policy (provider keys referenced as `secret:NAME`), sealed at
/// rest with AES-256-GCM under `LEOPOST_MASTER_KEY`.
///
/// Each box authenticates the tenant id and the name, so a sealed value copied to another tenant's
/// row, or renamed, fails to open instead of leaking. Values are never returned by the API: only
/// names are listed, and the router opens them for the call that needs them.
public struct SecretStore: Sendable {
    private let pool: PostgresPool
    private let masterKey: SymmetricKey

    /// Creates a store over the server's pool.
    public init(pool: PostgresPool, masterKey: SymmetricKey) {
        self.pool = pool
        self.masterKey = masterKey
    }

    /// Whether `name` is a valid secret name: 1 to 64 of `A–Z a–z 0–9 _ . -`.
    public static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.count) && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }
    }

    /// Seals and stores `value` as the tenant's secret `name`, replacing an earlier one.
    /// - Throws: `StoreError.invalidInput` for a bad name or an empty or oversized value.
    public func store(_ value: String, name: String, tenant: TenantID) async throws {
        guard Self.isValidName(name) else {
            throw StoreError(code: .invalidInput, message: "a secret name has 1 to 64 letters, digits, '_', '.' or '-'")
        }
        guard (1...8_192).contains(value.utf8.count) else {
            throw StoreError(code: .invalidInput, message: "a secret value has 1 to 8192 bytes")
        }
        let sealed = try AESGCM.seal(Array(value.utf8), using: masterKey, authenticating: Self.context(name, tenant))
        _ = try await pool.tenantQuery(
            tenant.rawValue,
            """
            INSERT INTO tenant_secrets (tenant_id, name, sealed) VALUES (\(tenant.rawValue), \(name), \(sealed))
            ON CONFLICT (tenant_id, name) DO UPDATE SET sealed = excluded.sealed, updated_at = now()
            """
        )
    }

    /// The names of the tenant's secrets, sorted.
    public func names(tenant: TenantID) async throws -> [String] {
        try await pool.tenantQuery(tenant.rawValue, "SELECT name FROM tenant_secrets ORDER BY name").map {
            try $0.decode(String.self, column: "name")
        }
    }

    /// The opened values of the named secrets the tenant has; names it does not have are absent.
    /// - Throws: `CryptoError` when a box does not open (another master key, or a tampered row).
    public func values(_ names: Set<String>, tenant: TenantID) async throws -> [String: String] {
        guard !names.isEmpty else { return [:] }
        let list = "{" + names.sorted().joined(separator: ",") + "}"
        let rows = try await pool.withTenantTransaction(tenant.rawValue) { connection in
            try connection.query("SELECT name, sealed FROM tenant_secrets WHERE name = ANY(\(list)::text[])").map {
                (try $0.decode(String.self, column: "name"), try $0.decode([UInt8].self, column: "sealed"))
            }
        }
        var values: [String: String] = [:]
        for (name, sealed) in rows {
            values[name] = String(decoding: try AESGCM.open(sealed, using: masterKey, authenticating: Self.context(name, tenant)), as: UTF8.self)
        }
        return values
    }

    static func context(_ name: String, _ tenant: TenantID) -> [UInt8] {
        Array("leopost.tenant-secret:\(tenant):\(name)".utf8)
    }
}
