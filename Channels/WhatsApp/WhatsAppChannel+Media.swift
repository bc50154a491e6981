public import LeopostCore

/// Photos and files sent to a tenant's WhatsApp number, fetched with that connection's access
/// token from the Cloud API's media endpoint.
extension WhatsAppChannel: MediaSource {
    public func download(_ media: MediaReference, in conversation: Conversation, tenant: TenantID, maxBytes: Int) async throws -> [UInt8] {
        guard let id = conversation.connectionID, let connection = try await connections.connection(id, tenant: tenant),
            let token = connection.credentials["access_token"]
        else { throw MediaError(code: .notFound, message: "the WhatsApp connection of this conversation no longer exists") }
        do {
            return try await WhatsAppCloudAPI(http: http, baseURL: baseURL, accessToken: token).media(media.reference, maxBytes: maxBytes)
        } catch let error as ChannelError {
            throw error.asMediaError
        }
    }
}
