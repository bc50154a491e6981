public import LeopostCore

/// Photos and files sent to a tenant's WhatsApp number, fetched with that connection's access
/// token from the Cloud API's media endpoint.
public struct WhatsAppMediaSource: MediaSource {
    private let connections: ChannelConnectionStore
    private let http: HTTPClient
    private let baseURL: String

    /// Creates the source.
    public init(connections: ChannelConnectionStore, http: HTTPClient, baseURL: String = WhatsAppCloudAPI.defaultBaseURL) {
        self.connections = connections
        self.http = http
        self.baseURL = baseURL
    }

    public var kind: String { WhatsAppChannel.kind }

    public func download(_ media: MediaReference, in conversation: Conversation, tenant: TenantID, maxBytes: Int) async throws -> [UInt8] {
        guard let id = conversation.connectionID, let connection = try await connections.connection(id, tenant: tenant),
            let token = connection.credentials["access_token"]
        else { throw MediaError(code: .notFound, message: "the WhatsApp connection of this conversation no longer exists") }
        do {
            return try await WhatsAppCloudAPI(http: http, baseURL: baseURL, accessToken: token).media(media.reference, maxBytes: maxBytes)
        } catch let error as ChannelError {
            switch error.code {
            case .rateLimited, .unavailable: throw MediaError(code: .unavailable, message: error.message)
            default: throw MediaError(code: .notFound, message: error.message)
            }
        }
    }
}
