import Foundation
public import Hummingbird
public import LeopostCore

/// The web chat's REST API: conversations, their history, and posting a message (DESIGN §4).
///
/// A chat token sees its own person's conversations; the API key sees the tenant's. Any other id —
/// another person's, another tenant's, or one that never existed — is 404, never 403, so an id
/// reveals nothing. Posting is rate-limited per tenant and per person as the policy says (429 with
/// `Retry-After`); the message is stored and queued before the 202.
public struct WebChatRoutes: Sendable {
    /// The longest message a person may send, in characters.
    public static let maxTextLength = 16_000

    /// What the routes use.
    public struct Dependencies: Sendable {
        /// Conversations and messages.
        public var conversations: ConversationStore
        /// People.
        public var users: UserStore
        /// Where messages enter.
        public var intake: ConversationIntake
        /// Policies, for rate limits.
        public var policies: PolicyStore
        /// The shared rate limiter.
        public var limiter: RateLimiter
        /// Codes that link a chat app to the person.
        public var linkCodes: LinkCodes
        /// Images attached with `POST /v1/media`; `nil`: messages carry text only.
        public var uploads: MediaUploads?

        /// Bundles the dependencies.
        public init(
            conversations: ConversationStore, users: UserStore, intake: ConversationIntake, policies: PolicyStore, limiter: RateLimiter,
            linkCodes: LinkCodes, uploads: MediaUploads? = nil
        ) {
            self.uploads = uploads
            self.conversations = conversations
            self.users = users
            self.intake = intake
            self.policies = policies
            self.limiter = limiter
            self.linkCodes = linkCodes
        }
    }

    private let dependencies: Dependencies
    private let maxBodyBytes: Int

    /// Creates the routes.
    public init(dependencies: Dependencies, maxBodyBytes: Int) {
        self.dependencies = dependencies
        self.maxBodyBytes = maxBodyBytes
    }

    /// The routes, relative to `/v1`, mounted behind the tenant authenticator.
    public var routes: RouteCollection<GatewayContext> {
        let routes = RouteCollection(context: GatewayContext.self)
        routes.get("conversations") { _, context -> Response in
            let identity = try context.requireIdentity()
            let userID = try await dependencies.users.id(of: identity)
            let list = try await dependencies.conversations.conversations(tenant: identity.tenantID, userID: userID)
            return try JSONBody.response(WebChatPayloads.ConversationList(conversations: list.map(WebChatPayloads.ConversationView.init)))
        }
        routes.post("conversations") { request, context -> Response in
            let identity = try context.requireIdentity()
            // An empty body is allowed: a conversation needs nothing to begin.
            let body =
                try await JSONBody.decodeIfPresent(WebChatPayloads.NewConversation.self, from: request, limit: maxBodyBytes)
                ?? WebChatPayloads.NewConversation(title: nil)
            let userID = try await dependencies.users.user(of: identity)
            let conversation = try await dependencies.conversations.create(
                tenant: identity.tenantID, userID: userID, channel: WebChannel.kind, title: body.title ?? ""
            )
            return try JSONBody.response(WebChatPayloads.ConversationView(conversation), status: .created)
        }
        // A one-time code the person sends to the Telegram bot or WhatsApp number as `/link CODE`.
        routes.post("link-codes") { _, context -> Response in
            let identity = try context.requireIdentity()
            let userID = try await dependencies.users.user(of: identity)
            let code = try await dependencies.linkCodes.issue(for: userID, tenant: identity.tenantID)
            return try JSONBody.response(
                WebChatPayloads.LinkCode(code: code, expiresIn: LinkCodes.lifetime, command: "/link \(code)"), status: .created)
        }
        routes.get("conversations/:id/messages") { request, context -> Response in
            let (identity, conversation, viewer) = try await visibleConversation(context)
            let query = request.uri.queryParameters
            let limit =
                try query.get("limit").map { text -> Int in
                    guard let value = Int(text), (1...200).contains(value) else {
                        throw APIError.badRequest("limit: expected a number from 1 to 200")
                    }
                    return value
                } ?? 50
            let before = try query.get("before").map { text -> UUID in
                guard let id = UUID(uuidString: text) else { throw APIError.badRequest("before: expected a message id") }
                return id
            }
            let page = try await dependencies.conversations.messages(
                conversationID: conversation.id, tenant: identity.tenantID, limit: limit, before: before)
            let ratings = try await dependencies.conversations.ratings(
                of: page.messages.filter { $0.direction == .outbound }.map(\.id), userID: viewer, tenant: identity.tenantID
            )
            let views = page.messages.map { message in
                WebChatPayloads.MessageView(
                    id: message.id, direction: message.direction.rawValue, text: message.parts.plainText, status: message.status.rawValue,
                    replyTo: message.replyTo, createdAt: message.createdAt, feedback: ratings[message.id]
                )
            }
            return try JSONBody.response(WebChatPayloads.MessagePage(messages: views, nextBefore: page.hasOlder ? views.first?.id : nil))
        }
        routes.post("conversations/:id/messages") { request, context -> Response in
            // The policy (for the rate limits) is read while the conversation is looked up.
            async let policy = dependencies.policies.effective(tenant: try context.requireIdentity().tenantID)
            let (identity, conversation, viewer) = try await visibleConversation(context)
            let body = try await JSONBody.decode(WebChatPayloads.NewMessage.self, from: request, limit: maxBodyBytes)
            let text = body.text.trimmingCharacters(in: .whitespacesAndNewlines)
            let media = try await attachments(body.media ?? [], tenant: identity.tenantID)
            guard !text.isEmpty || !media.isEmpty else { throw APIError.emptyMessage("text: the message is empty") }
            guard text.count <= Self.maxTextLength else {
                throw APIError.messageTooLong("the message has \(text.count) characters; the limit is \(Self.maxTextLength)")
            }
            // A chat token speaks as its person (already looked up); the API key as the `api` user.
            let userID: UUID
            if let viewer { userID = viewer } else { userID = try await dependencies.users.user(of: identity) }
            try await checkRateLimits(try await policy, tenant: identity.tenantID, userID: userID)
            let parts = (text.isEmpty ? [] : [MessagePart.text(text)]) + media.map(MessagePart.media)
            let key = try ClientMessageKey(header: request.headers[.idempotencyKey], body: body.clientMessageId)
            let accepted = try await dependencies.intake.accept(
                parts, into: conversation, from: userID, tenant: identity.tenantID, externalID: key?.externalID(in: conversation.id))
            guard accepted.sameParts else { throw ClientMessageKey.reused }
            var response = try JSONBody.response(WebChatPayloads.Accepted(messageId: accepted.messageID), status: .accepted)
            if !accepted.isNew { response.headers[.idempotentReplayed] = "true" }
            return response
        }
        return routes
    }

    /// The conversation named in the path, when the caller may see it (404 otherwise), with the
    /// person the caller is limited to (`nil` for the API key), so routes need not look it up again.
    func visibleConversation(_ context: GatewayContext) async throws -> (identity: TenantIdentity, conversation: Conversation, viewer: UUID?) {
        let identity = try context.requireIdentity()
        let id = context.parameters.get("id").flatMap(UUID.init(uuidString:))
        guard case .token(let name) = identity.credential else {
            // The API key sees every conversation of the tenant.
            guard let id, let conversation = try await dependencies.conversations.conversation(id, tenant: identity.tenantID, userID: nil) else {
                throw APIError.notFound("no such conversation")
            }
            return (identity, conversation, nil)
        }
        // The person and their conversation in one statement; a person new to the tenant is made
        // (they own no conversation yet).
        let found =
            if let id { try await dependencies.conversations.conversation(id, tenant: identity.tenantID, personNamed: name) } else {
                (userID: UUID?.none, conversation: Conversation?.none)
            }
        let viewer: UUID
        if let known = found.userID { viewer = known } else { viewer = try await dependencies.users.resolve(name: name, tenant: identity.tenantID) }
        guard let conversation = found.conversation else { throw APIError.notFound("no such conversation") }
        return (identity, conversation, viewer)
    }

    /// The uploads a message names, each one this tenant made; 400 `unknown_media` otherwise.
    private func attachments(_ ids: [String], tenant: TenantID) async throws -> [MediaReference] {
        guard !ids.isEmpty else { return [] }
        guard let uploads = dependencies.uploads else { throw APIError.badRequest("media: this deployment takes no images", code: "unknown_media") }
        guard ids.count <= MediaUploads.maxPerMessage else {
            throw APIError.badRequest("media: at most \(MediaUploads.maxPerMessage) images per message", code: "too_many_media")
        }
        var references: [MediaReference] = []
        for id in ids {
            let found: MediaReference?
            // The media store unreachable (an S3 bucket): the client may send it again.
            do { found = try await uploads.reference(id, tenant: tenant) } catch let error as MediaError {
                throw APIError.unavailable(error.message)
            }
            guard let reference = found else {
                throw APIError.badRequest("media: no upload \(id.prefix(80)) (upload it with POST /v1/media first)", code: "unknown_media")
            }
            references.append(reference)
        }
        return references
    }

    /// The policy's per-tenant and per-person limits; 429 with `Retry-After` when one is reached.
    private func checkRateLimits(_ policy: RoutingPolicy, tenant: TenantID, userID: UUID) async throws {
        let limits = [
            policy.tenantRequestsPerMinute.map { ("tenant:\(tenant)", $0, "your workspace") },
            policy.userRequestsPerMinute.map { ("user:\(tenant):\(userID)", $0, "you") },
        ].compactMap { $0 }
        for (subject, perMinute, who) in limits {
            if case .limited(let wait) = try await dependencies.limiter.check(subject, limit: .init(count: perMinute, per: .seconds(60))) {
                let seconds = max(1, Int((Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18).rounded(.up)))
                throw APIError.rateLimited(
                    "\(who) can send \(perMinute) messages a minute; please wait \(seconds) s and send it again", retryAfterSeconds: seconds)
            }
        }
    }
}
