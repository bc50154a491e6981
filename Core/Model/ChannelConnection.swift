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
        guard handle.count == 64, handle.allSatisfy(\.isHexDigit) else { return nil }
        guard let tenant = uuid(handle.prefix(32)), let connection = uuid(handle.suffix(32)) else { return nil }
        return (TenantID(tenant), connection)
    }

    private static func hex(_ id: UUID) -> String {
        id.uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }

    private static func uuid(_ hex: Substring) -> UUID? {
        let text = Array(hex)
        let parts = [text[0..<8], text[8..<12], text[12..<16], text[16..<20], text[20..<32]].map { String($0) }
        return UUID(uuidString: parts.joined(separator: "-"))
    }
}
