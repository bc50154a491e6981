public import Foundation

/// A tenant's account on a messaging channel (a Telegram bot, a WhatsApp phone number), with its
/// credentials opened for use.
public struct ChannelConnection: Sendable, Equatable {
    /// The connection's id.
    public var id: UUID
    /// Whose it is.
    public var tenantID: TenantID
    /// `telegram`, `whatsapp`, `email`.
    public var channel: String
    /// The tenant's name for it.
    public var name: String
    /// The opened credentials (`bot_token`, `secret_token`; `access_token`, `app_secret`, ...).
    public var credentials: [String: String]
    /// Settings that are not secret (`phone_number_id`, `mode`).
    public var settings: [String: String]

    /// Creates a connection value.
    public init(id: UUID, tenantID: TenantID, channel: String, name: String, credentials: [String: String], settings: [String: String]) {
        self.id = id
        self.tenantID = tenantID
        self.channel = channel
        self.name = name
        self.credentials = credentials
        self.settings = settings
    }

    /// The connection's part of its webhook path: the tenant's and the connection's ids, so a
    /// webhook finds its tenant without any lookup across tenants (like an API key does).
    public var handle: String {
        Self.hex(tenantID.rawValue) + Self.hex(id)
    }

    /// The tenant and connection ids in a webhook path's handle; `nil` for anything else.
    public static func parse(handle: String) -> (tenant: TenantID, connection: UUID)? {
        // Every webhook parses its path: straight from the hex, without building strings.
        guard handle.utf8.count == 64, let bytes = Hex.decode(handle) else { return nil }
        return (TenantID(uuid(bytes, at: 0)), uuid(bytes, at: 16))
    }

    private static func hex(_ id: UUID) -> String {
        withUnsafeBytes(of: id.uuid) { Hex.encode($0) }
    }

    private static func uuid(_ b: [UInt8], at i: Int) -> UUID {
        UUID(
            uuid: (
                b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5], b[i + 6], b[i + 7], b[i + 8], b[i + 9], b[i + 10], b[i + 11], b[i + 12],
                b[i + 13], b[i + 14], b[i + 15]
            ))
    }
}
