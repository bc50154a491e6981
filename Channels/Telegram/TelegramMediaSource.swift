public import LeopostCore

/// Photos and files sent to a tenant's bot, fetched with that bot's token: `getFile` for the
/// path, then the download, refused early when Telegram already says the file is too large.
public struct TelegramMediaSource: MediaSource {
    private let connections: ChannelConnectionStore
    private let http: HTTPClient
    private let baseURL: String

    /// Creates the source.
    public init(connections: ChannelConnectionStore, http: HTTPClient, baseURL: String = TelegramBotAPI.defaultBaseURL) {
        self.connections = connections
        self.http = http
        self.baseURL = baseURL
    }

    public var kind: String { TelegramChannel.kind }

    public func download(_ media: MediaReference, in conversation: Conversation, tenant: TenantID, maxBytes: Int) async throws -> [UInt8] {
        guard let id = conversation.connectionID, let connection = try await connections.connection(id, tenant: tenant),
            let token = connection.credentials["bot_token"]
        else { throw MediaError(code: .notFound, message: "the Telegram connection of this conversation no longer exists") }
        let bot = TelegramBotAPI(http: http, baseURL: baseURL, token: token)
        do {
            let file = try await bot.getFile(media.reference)
            if let size = file.size, size > maxBytes { throw MediaLimits.tooLarge(size, limit: maxBytes) }
            return try await bot.downloadFile(at: file.path, maxBytes: maxBytes)
        } catch let error as ChannelError {
            // "file is too big" (over the 20 MB bots may fetch) is a 400 like an unknown file id.
            if error.message.contains("file is too big") { throw MediaLimits.tooLarge(nil, limit: maxBytes) }
            switch error.code {
            case .rateLimited, .unavailable: throw MediaError(code: .unavailable, message: error.message)
            default: throw MediaError(code: .notFound, message: error.message)
            }
        }
    }
}
