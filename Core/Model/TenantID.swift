public import Foundation

/// A tenant's identity: a distinct type so a tenant id is never passed where a user or
/// conversation id belongs.
public struct TenantID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The underlying UUID, as stored in `tenant_id` columns.
    public let rawValue: UUID

    /// Wraps a UUID.
    public init(_ rawValue: UUID) { self.rawValue = rawValue }

    /// Parses the canonical text form; `nil` for anything else.
    public init?(_ text: String) {
        guard let uuid = UUID(uuidString: text) else { return nil }
        self.rawValue = uuid
    }

    /// A new random id.
    public static func random() -> TenantID { TenantID(UUID.random()) }

    /// Lowercase canonical UUID text.
    public var description: String { rawValue.uuidString.lowercased() }
}
