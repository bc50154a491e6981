/// The photos a person sent in a conversation, as media a draft can carry: the model names one by
/// the `media_id` it was shown with the image, and the draft gets a signed link the platform
/// fetches it from. Only photos of the conversation being answered can be named.
public struct PhotoAttachments: Sendable {
    private let library: MediaLibrary
    private let links: MediaLinks
    private let conversations: ConversationStore

    /// Creates the attachments over the router's media library and the public links.
    public init(library: MediaLibrary, links: MediaLinks, conversations: ConversationStore) {
        self.library = library
        self.links = links
        self.conversations = conversations
    }

    /// The link to the photo `mediaID` of the context's conversation.
    /// - Throws: ``ToolError`` `not_found` when the conversation has no such photo.
    func url(of mediaID: String, context: ToolContext) async throws -> String {
        let recent = try await conversations.messages(conversationID: context.conversationID, tenant: context.tenant, limit: 50).messages
        guard let conversation = try await conversations.conversation(context.conversationID, tenant: context.tenant, userID: nil) else {
            throw ToolError(.notFound, "this conversation no longer exists")
        }
        for message in recent.reversed() where message.direction == .inbound {
            for case .media(let media) in message.parts
            where MediaLibrary.mediaID(media, channel: conversation.channel, tenant: context.tenant) == mediaID {
                do { _ = try await library.image(media, in: conversation, tenant: context.tenant) } catch let error as MediaError {
                    throw ToolError(.refused, "that image cannot be attached: \(error.message)")
                }
                return links.url(for: MediaLibrary.key(media, channel: conversation.channel, tenant: context.tenant))
            }
        }
        throw ToolError(.notFound, "no image \(mediaID.prefix(40)) in this conversation; use a media_id shown with an image the person sent")
    }
}
