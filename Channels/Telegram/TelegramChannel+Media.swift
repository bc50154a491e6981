public import LeopostCore

/// Photos and files sent to a tenant's bot, fetched with that bot's token: `getFile` for the
/// path, then the download, refused early when Telegram already says the file is too large.
extension TelegramChannel: MediaSource {
    public func download(_ media: MediaReference, in conversation: Conversation, tenant: TenantID, maxBytes: Int) async throws -> [UInt8] {
        guard let bot = try await bot(connectionID: conversation.connectionID, tenant: tenant) else {
            throw MediaError(code: .notFound, message: "the Telegram connection of this conversation no longer exists")
        }
        do {
            let file = try await bot.getFile(media.reference)
            if let size = file.size, size > maxBytes { throw MediaLimits.tooLarge(size, limit: maxBytes) }
            return try await bot.downloadFile(at: file.path, maxBytes: maxBytes)
        } catch let error as ChannelError {
            // "file is too big" (over the 20 MB bots may fetch) is a 400 like an unknown file id.
            if error.message.contains("file is too big") { throw MediaLimits.tooLarge(nil, limit: maxBytes) }
            throw error.asMediaError
        }
    }
}
