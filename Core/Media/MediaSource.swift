/// A channel that can hand over the bytes of media a person sent through it (Telegram's
/// `getFile`, WhatsApp's media URL). The channel adapters that can conform; Core fetches only
/// through them.
public protocol MediaSource: Sendable {
    /// The channel's name, as on conversations.
    var kind: String { get }
    /// The bytes of `media`, sent in `conversation` of `tenant` (whose connection holds the
    /// credentials). Stops as soon as the file is known to exceed `maxBytes`.
    /// - Throws: `MediaError`.
    func download(_ media: MediaReference, in conversation: Conversation, tenant: TenantID, maxBytes: Int) async throws -> [UInt8]
}
