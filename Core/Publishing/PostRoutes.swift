import Foundation
public import Hummingbird

/// The posts API of DESIGN §4: `POST /v1/posts` drafts a post with a preview per platform,
/// `POST /v1/posts/{id}/publish` confirms it, `GET /v1/posts/{id}` shows each target's state,
/// `PATCH /v1/posts/{id}` edits a draft's text or moves its time, `DELETE /v1/posts/{id}` cancels
/// what has not gone out. The API key may use them on every post of its tenant; a chat token (a person) only on posts drafted from that person's conversations.
/// Another tenant's post, and another person's, is 404.
public struct PostRoutes: Sendable {
    private let publisher: Publisher
    private let posts: PostStore
    private let conversations: ConversationStore
    private let users: UserStore
    private let maxBodyBytes: Int

    /// Creates the routes.
    public init(publisher: Publisher, posts: PostStore, conversations: ConversationStore, users: UserStore, maxBodyBytes: Int) {
        self.publisher = publisher
        self.posts = posts
        self.conversations = conversations
        self.users = users
        self.maxBodyBytes = maxBodyBytes
    }

    struct Body: Decodable {
        let text: String
        let platforms: [String]
        let media: [PostMedia]?
        let scheduledAt: Date?
        let conversationId: UUID?
    }

    /// `PATCH /v1/posts/{id}`: a draft's new text (measured again), a new time, or both.
    struct Edit: Decodable {
        let text: String?
        let scheduledAt: Date?
    }

    /// The routes, relative to `/v1`, mounted behind the tenant authenticator.
    public var routes: RouteCollection<GatewayContext> {
        let routes = RouteCollection(context: GatewayContext.self)
        routes.post("posts") { request, context -> Response in
            let identity = try context.requireIdentity()
            let tenant = identity.tenantID
            let body = try await JSONBody.decode(Body.self, from: request, limit: maxBodyBytes)
            let viewer = try await users.id(of: identity)
            if viewer != nil && body.conversationId == nil {
                throw APIError.badRequest("conversation_id: a chat token drafts posts from one of its conversations; name it")
            }
            if let conversation = body.conversationId, try await conversations.conversation(conversation, tenant: tenant, userID: viewer) == nil {
                throw APIError.notFound("conversation_id: no such conversation")
            }
            let draft = Publisher.Draft(
                text: body.text, platforms: body.platforms, media: body.media ?? [], scheduledAt: body.scheduledAt,
                conversationID: body.conversationId)
            let post = try await Self.answering { try await publisher.draft(draft, tenant: tenant) }
            return try JSONBody.response(post, status: .created)
        }
        routes.get("posts/:id") { _, context -> Response in
            try JSONBody.response(try await visiblePost(context))
        }
        routes.post("posts/:id/publish") { _, context -> Response in
            let id = try await visiblePost(context).id
            let tenant = try context.requireIdentity().tenantID
            let post = try await Self.answering { try await publisher.confirm(id, tenant: tenant) }
            return try JSONBody.response(post, status: .accepted)
        }
        routes.patch("posts/:id") { request, context -> Response in
            let id = try await visiblePost(context).id
            let tenant = try context.requireIdentity().tenantID
            let body = try await JSONBody.decode(Edit.self, from: request, limit: maxBodyBytes)
            guard body.text != nil || body.scheduledAt != nil else { throw APIError.badRequest("send text, scheduled_at or both") }
            var post = try await posts.post(id, tenant: tenant)
            if let text = body.text { post = try await Self.answering { try await publisher.edit(id, text: text, tenant: tenant) } }
            if let time = body.scheduledAt { post = try await Self.answering { try await publisher.reschedule(id, to: time, tenant: tenant) } }
            return try JSONBody.response(post)
        }
        routes.delete("posts/:id") { _, context -> Response in
            let id = try await visiblePost(context).id
            let tenant = try context.requireIdentity().tenantID
            let post = try await Self.answering { try await publisher.cancel(id, tenant: tenant) }
            return try JSONBody.response(post)
        }
        return routes
    }

    /// The post the path names, when the caller may see it: any of the tenant's for the API key,
    /// one drafted from the person's own conversations for a chat token; 404 otherwise.
    private func visiblePost(_ context: GatewayContext) async throws -> Post {
        let identity = try context.requireIdentity()
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)), let post = try await posts.post(id, tenant: identity.tenantID)
        else { throw APIError.notFound("no such post") }
        if let viewer = try await users.id(of: identity) {
            guard let conversation = post.conversationID,
                try await conversations.conversation(conversation, tenant: identity.tenantID, userID: viewer) != nil
            else { throw APIError.notFound("no such post") }
        }
        return post
    }

    /// Runs `body`, turning a ``PostError`` into the matching API answer.
    private static func answering<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as PostError {
            switch error.code {
            case .notFound: throw APIError.notFound(error.message)
            case .conflict: throw APIError.conflict(error.message)
            default: throw APIError.badRequest(error.message, code: error.code.description)
            }
        }
    }
}
