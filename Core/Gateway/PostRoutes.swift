import Foundation
public import Hummingbird

/// The posts API of DESIGN §4: `POST /v1/posts` drafts a post with a preview per platform,
/// `POST /v1/posts/{id}/publish` confirms it, `GET /v1/posts/{id}` shows each target's state,
/// `DELETE /v1/posts/{id}` cancels what has not gone out. An API key or a chat token may use them;
/// another tenant's post is 404.
public struct PostRoutes: Sendable {
    private let publisher: Publisher
    private let posts: PostStore
    private let conversations: ConversationStore
    private let maxBodyBytes: Int

    /// Creates the routes.
    public init(publisher: Publisher, posts: PostStore, conversations: ConversationStore, maxBodyBytes: Int) {
        self.publisher = publisher
        self.posts = posts
        self.conversations = conversations
        self.maxBodyBytes = maxBodyBytes
    }

    struct Body: Decodable {
        let text: String
        let platforms: [String]
        let media: [PostMedia]?
        let scheduledAt: Date?
        let conversationId: UUID?
    }

    /// Adds the routes to the authenticated group.
    public func register(on group: RouterGroup<GatewayContext>) {
        group.post("posts") { request, context -> Response in
            let tenant = try context.requireIdentity().tenantID
            let body = try await JSONBody.decode(Body.self, from: request, limit: maxBodyBytes)
            if let conversation = body.conversationId, try await conversations.conversation(conversation, tenant: tenant, userID: nil) == nil {
                throw APIError.notFound("conversation_id: no such conversation")
            }
            let draft = Publisher.Draft(
                text: body.text, platforms: body.platforms, media: body.media ?? [], scheduledAt: body.scheduledAt,
                conversationID: body.conversationId)
            let post = try await Self.answering { try await publisher.draft(draft, tenant: tenant) }
            return try JSONBody.response(post, status: .created)
        }
        group.get("posts/:id") { _, context -> Response in
            let tenant = try context.requireIdentity().tenantID
            guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)), let post = try await posts.post(id, tenant: tenant) else {
                throw APIError.notFound("no such post")
            }
            return try JSONBody.response(post)
        }
        group.post("posts/:id/publish") { _, context -> Response in
            let tenant = try context.requireIdentity().tenantID
            guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("no such post") }
            let post = try await Self.answering { try await publisher.confirm(id, tenant: tenant) }
            return try JSONBody.response(post, status: .accepted)
        }
        group.delete("posts/:id") { _, context -> Response in
            let tenant = try context.requireIdentity().tenantID
            guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("no such post") }
            let post = try await Self.answering { try await publisher.cancel(id, tenant: tenant) }
            return try JSONBody.response(post)
        }
    }

    /// Runs `body`, turning a ``PostError`` into the matching API answer.
    private static func answering<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as PostError {
            switch error.code {
            case .notFound: throw APIError.notFound(error.message)
            case .conflict: throw APIError(status: .conflict, code: "conflict", message: error.message)
            default: throw APIError.badRequest(error.message, code: error.code.description)
            }
        }
    }
}
