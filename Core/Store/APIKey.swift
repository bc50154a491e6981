import Foundation

/// A tenant's API key: `lpk_<tenant id, 32 hex>_<secret, 43 base64url>`.
///
/// The tenant id inside the key tells the server which tenant's rows to search, so a key is
/// checked under that tenant's row-level security with no cross-tenant lookup. Only the
/// SHA-256 of the whole key is stored; the key itself is shown once, at creation.
public struct APIKey: Sendable, Equatable, CustomStringConvertible {
    /// The tenant the key claims to belong to (verified against the stored hash).
    public let tenantID: TenantID
    /// The full key text.
    public let text: String

    static let prefix = "lpk_"

    /// Makes a new random key for `tenantID`.
    public static func generate(for tenantID: TenantID) throws -> APIKey {
        let compactID = tenantID.description.replacingOccurrences(of: "-", with: "")
        let text = prefix + compactID + "_" + (try SecureRandom.token(byteCount: 32))
        return APIKey(tenantID: tenantID, text: text)
    }

    /// Parses a presented key; `nil` when it does not have the key's shape.
    public init?(_ text: String) {
        guard text.hasPrefix(Self.prefix), text.utf8.count == 4 + 32 + 1 + 43 else { return nil }
        let body = text.dropFirst(Self.prefix.count)
        let hex = String(body.prefix(32))
        guard body.dropFirst(32).first == "_", hex.allSatisfy(\.isHexDigit) else { return nil }
        let uuid = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
            .joined(separator: "-")
        guard let tenantID = TenantID(uuid) else { return nil }
        self.init(tenantID: tenantID, text: text)
    }

    private init(tenantID: TenantID, text: String) {
        self.tenantID = tenantID
        self.text = text
    }

    /// What the database stores: SHA-256 of the key.
    public var hash: [UInt8] { SHA256.hash(text) }

    /// Redacted: keys never reach logs.
    public var description: String { "lpk_…(tenant \(tenantID))" }
}
