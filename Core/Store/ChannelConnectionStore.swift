public import Foundation

/// Tenants' channel connections in PostgreSQL. Credentials are sealed with AES-256-GCM under the
/// master key, bound to the tenant and the connection, and opened only when a webhook or a
/// delivery needs them.
public struct ChannelConnectionStore: Sendable {
    private let pool: PostgresPool
    private let masterKey: SymmetricKey

    /// Creates a store over the server's pool.
    public init(pool: PostgresPool, masterKey: SymmetricKey) {
        self.pool = pool
        self.masterKey = masterKey
    }

    /// Stores a new connection.
    /// - Throws: `StoreError.conflict` when the tenant already has a connection of that channel and name.
    /// - Parameter id: the new connection's id, chosen beforehand when its webhook URL must be known first.
    public func create(
        id: UUID = UUID.random(), channel: String, name: String, credentials: [String: String], settings: [String: String], tenant: TenantID
    ) async throws -> ChannelConnection {
        let connection = ChannelConnection(id: id, tenantID: tenant, channel: channel, name: name, credentials: credentials, settings: settings)
        let sealed = try AESGCM.seal(try JSONCoding.encoder.encode(credentials), using: masterKey, authenticating: Self.context(connection))
        let settingsJSON = String(decoding: try JSONCoding.encoder.encode(settings), as: UTF8.self)
        let inserted = try await pool.withTenantTransaction(tenant.rawValue) { connectionHandle in
            try connectionHandle.query(
                """
                INSERT INTO channel_connections (id, tenant_id, channel, name, sealed_secret, settings)
                VALUES (\(connection.id), \(tenant.rawValue), \(channel), \(name), \(sealed), \(settingsJSON)::jsonb)
                ON CONFLICT (tenant_id, channel, name) DO NOTHING RETURNING id
                """
            ).count
        }
        guard inserted == 1 else { throw StoreError(code: .conflict, message: "a \(channel) connection named \(name) exists already") }
        return connection
    }

    /// The connection `id` of `tenant`, credentials opened; `nil` when the tenant has none such.
    public func connection(_ id: UUID, tenant: TenantID) async throws -> ChannelConnection? {
        let row = try await pool.withTenantTransaction(tenant.rawValue) { connection in
            try connection.query(
                "SELECT channel, name, sealed_secret, settings::text AS settings FROM channel_connections WHERE id = \(id)"
            ).first.map {
                (
                    try $0.decode(String.self, column: "channel"), try $0.decode(String.self, column: "name"),
                    try $0.decode([UInt8]?.self, column: "sealed_secret"), try $0.decode(String.self, column: "settings")
                )
            }
        }
        guard let (channel, name, sealed, settingsJSON) = row else { return nil }
        var connection = ChannelConnection(
            id: id, tenantID: tenant, channel: channel, name: name, credentials: [:],
            settings: try JSONCoding.decoder.decode([String: String].self, from: Data(settingsJSON.utf8))
        )
        if let sealed {
            let opened = try AESGCM.open(sealed, using: masterKey, authenticating: Self.context(connection))
            connection.credentials = try JSONCoding.decoder.decode([String: String].self, from: Data(opened))
        }
        return connection
    }

    /// The tenant's connections, credentials left sealed (empty).
    public func connections(tenant: TenantID) async throws -> [ChannelConnection] {
        try await pool.withTenantTransaction(tenant.rawValue) { connection in
            try connection.query("SELECT id, channel, name, settings::text AS settings FROM channel_connections ORDER BY created_at").map {
                ChannelConnection(
                    id: try $0.decode(column: "id"), tenantID: tenant, channel: try $0.decode(column: "channel"), name: try $0.decode(column: "name"),
                    credentials: [:],
                    settings: try JSONCoding.decoder.decode([String: String].self, from: Data(try $0.decode(String.self, column: "settings").utf8))
                )
            }
        }
    }

    static func context(_ connection: ChannelConnection) -> [UInt8] {
        Array("leopost.channel-connection:\(connection.tenantID):\(connection.id)".utf8)
    }
}
