public import Foundation
public import Logging

/// The publish flow of DESIGN §2 up to the stream: draft (with a preview per platform), confirm
/// (now, or at `scheduled_at`), cancel. The REST routes and the chat's Confirm button both use it,
/// so a post behaves the same wherever it was confirmed.
public struct Publisher: Sendable {
    private let posts: PostStore
    private let accounts: SocialAccountStore
    private let policies: PolicyStore
    private let registry: PluginRegistry
    private let scheduler: PostScheduler
    private let queue: StageQueue
    private let previews: PostPreviews?

    /// Creates the publisher; `scheduler` and the queue must serve the same stage. With `previews`,
    /// a draft made for a conversation is shown there (with Confirm/Cancel buttons in chat apps).
    public init(
        posts: PostStore, accounts: SocialAccountStore, policies: PolicyStore, registry: PluginRegistry, scheduler: PostScheduler, redis: RedisClient,
        stage: String = PublishStage.stage, previews: PostPreviews? = nil
    ) {
        self.previews = previews
        self.posts = posts
        self.accounts = accounts
        self.policies = policies
        self.registry = registry
        self.scheduler = scheduler
        self.queue = StageQueue(stage: stage, redis: redis)
    }

    /// Creates the publisher of a process over its shared clients, showing drafts in their
    /// conversations: what the REST routes, the chat buttons and the assistant's tools share.
    public init(
        redis: RedisClient, postgres: PostgresPool, masterKey: SymmetricKey, plugins: PluginRegistry, policyRules: PolicyParser.Rules, logger: Logger,
        publishStage: String = PublishStage.stage, deliveryStage: String = DeliveryStage.stage
    ) {
        let conversations = ConversationStore(pool: postgres)
        self.init(
            posts: PostStore(pool: postgres), accounts: SocialAccountStore(pool: postgres, masterKey: masterKey),
            policies: PolicyStore(pool: postgres, rules: policyRules), registry: plugins,
            scheduler: PostScheduler(redis: redis, stage: publishStage, logger: logger), redis: redis, stage: publishStage,
            previews: PostPreviews(
                conversations: conversations, events: ConversationEventLog(redis: redis), delivery: StageQueue(stage: deliveryStage, redis: redis),
                users: UserStore(pool: postgres)))
    }

    /// What a draft is made from.
    public struct Draft: Sendable {
        /// The text.
        public var text: String
        /// Plugin names, in the order given; repeats are ignored.
        public var platforms: [String]
        /// Attached media.
        public var media: [PostMedia]
        /// When it should go out; `nil` for as soon as it is confirmed.
        public var scheduledAt: Date?
        /// The conversation that asked, which hears `post.status` events.
        public var conversationID: UUID?

        /// Creates a draft request.
        public init(text: String, platforms: [String], media: [PostMedia] = [], scheduledAt: Date? = nil, conversationID: UUID? = nil) {
            self.text = text
            self.platforms = platforms
            self.media = media
            self.scheduledAt = scheduledAt
            self.conversationID = conversationID
        }
    }

    /// The most platforms one post may go to.
    public static let maxPlatforms = 16

    /// Makes a draft with a preview per platform.
    /// - Throws: ``PostError`` naming the problem: empty text, no or unknown platforms, a platform
    ///   the policy does not allow or the tenant has no account for, a time in the past, or a post
    ///   that does not fit a platform (with the count and the limit; nothing is ever truncated).
    public func draft(_ draft: Draft, tenant: TenantID, now: Date = Date()) async throws -> Post {
        guard !draft.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw PostError(.invalid, "text: must not be empty") }
        // A set, in the order given, and a cap: a body of 100,000 names costs one pass, not 10^10 comparisons.
        var names: [String] = []
        var seen: Set<String> = []
        for name in draft.platforms where seen.insert(name).inserted {
            guard names.count < Self.maxPlatforms else {
                throw PostError(.invalid, "platforms: at most \(Self.maxPlatforms) different platforms in one post")
            }
            names.append(name)
        }
        guard !names.isEmpty else {
            throw PostError(.invalid, "platforms: name at least one (\(registry.loadedDescription))")
        }
        if let time = draft.scheduledAt, time < now.addingTimeInterval(-1) {
            throw PostError(.invalid, "scheduled_at: \(time) is in the past; leave it out to publish on confirmation")
        }
        let policy = try await policies.effective(tenant: tenant)
        let connected = Set(try await accounts.accounts(tenant: tenant).map(\.platform))
        var targets: [PostTarget] = []
        let previewer = PostPreviewer(registry: registry)
        for name in names {
            guard let plugin = registry.plugin(named: name) else {
                throw PostError(.unknownPlatform, "platforms: no plugin named \"\(name)\" is loaded (\(registry.loadedDescription))")
            }
            guard policy.platforms.isEmpty || policy.platforms.contains(name) else {
                throw PostError(
                    .unknownPlatform, "platforms: the tenant's policy does not allow \(name) (allowed: \(policy.platforms.joined(separator: ", ")))")
            }
            guard connected.contains(name) else {
                throw PostError(.accountMissing, "platforms: no \(name) account is connected; add one with PUT /v1/social-accounts/\(name)")
            }
            let preview = await previewer.preview(text: draft.text, media: draft.media, for: plugin)
            guard preview.problems.isEmpty else { throw PostError(.tooLong, preview.problems.joined(separator: "; ")) }
            let id = UUID.random()
            targets.append(
                PostTarget(id: id, platform: name, status: .draft, preview: preview, idempotencyKey: "leopost-\(id.uuidString.lowercased())"))
        }
        let post = Post(
            id: UUID.random(), conversationID: draft.conversationID, text: draft.text, media: draft.media, status: .draft,
            scheduledAt: draft.scheduledAt,
            createdAt: now, targets: targets)
        try await posts.create(post, tenant: tenant)
        try await previews?.announce(post, tenant: tenant)
        return post
    }

    /// Confirms a draft and queues its targets: into the publish stream now, or onto the schedule
    /// for `scheduled_at`. Repeating it re-queues what is still queued (the stream takes each
    /// target once), which is how a confirmation that failed half-way is completed.
    ///
    /// A draft whose time has passed by more than a minute is refused: the person agreed to that
    /// time, not to now, and should pick a new one (``reschedule(_:to:tenant:now:)``).
    public func confirm(_ id: UUID, tenant: TenantID, now: Date = Date()) async throws -> Post {
        guard let post = try await posts.confirm(id, notScheduledBefore: now.addingTimeInterval(-Self.lateConfirmation), tenant: tenant) else {
            if try await posts.post(id, tenant: tenant) == nil { throw PostError(.notFound, "no such post") }
            throw PostError(.conflict, "the post was cancelled; draft a new one")
        }
        if post.status == .draft, let time = post.scheduledAt {
            throw PostError(.conflict, "it was scheduled for \(time), which has passed; give it a new time (or none, to publish now) first")
        }
        let jobs = post.targets.filter { $0.status == .queued }.map { PublishJob(tenantID: tenant.rawValue, postID: post.id, targetID: $0.id) }
        if let time = post.scheduledAt, time > now {
            try await scheduler.schedule(jobs, at: time)
        } else {
            // Off the schedule first (a time within the late-confirmation minute may still wait there):
            // either the scheduler has moved a job already, and its marker makes the enqueue add
            // nothing, or it finds nothing left to move. Never two jobs for one target.
            try await scheduler.unschedule(jobs.map(\.targetID))
            for job in jobs { try await queue.publish(job) }
        }
        return post
    }

    /// Replaces a draft's text after the person edited it, measured again for every platform and
    /// shown again in its conversation. Nothing is ever truncated: a text that does not fit is refused.
    /// - Throws: ``PostError`` `.invalid` (empty), `.tooLong` (with each platform's count and limit),
    ///   `.notFound`, or `.conflict` when the post is no longer a draft.
    public func edit(_ id: UUID, text: String, tenant: TenantID) async throws -> Post {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw PostError(.invalid, "text: must not be empty") }
        guard let before = try await posts.post(id, tenant: tenant) else { throw PostError(.notFound, "no such post") }
        guard before.status == .draft else { throw PostError(.conflict, "only a draft can be edited; this post is \(before.status.rawValue)") }
        let previewer = PostPreviewer(registry: registry)
        var previews: [UUID: PostPreview] = [:]
        for target in before.targets {
            guard let plugin = registry.plugin(named: target.platform) else {
                throw PostError(.unknownPlatform, "no plugin named \"\(target.platform)\" is loaded (\(registry.loadedDescription))")
            }
            let preview = await previewer.preview(text: text, media: before.media, for: plugin)
            guard preview.problems.isEmpty else { throw PostError(.tooLong, preview.problems.joined(separator: "; ")) }
            previews[target.id] = preview
        }
        guard let after = try await posts.edit(id, text: text, previews: previews, tenant: tenant) else {
            throw PostError(.conflict, "the post was confirmed or cancelled meanwhile")
        }
        try await self.previews?.announce(after, tenant: tenant)
        return after
    }

    /// How late a draft may be confirmed after its time and still go out at once.
    public static let lateConfirmation: TimeInterval = 60

    /// Moves a post that has not gone out to `time`, or to "on confirmation" with `nil` (drafts
    /// only). A confirmed post's waiting targets are taken off the schedule and put back at the new
    /// time; a target already on its way stays as it is.
    /// - Throws: ``PostError`` `.invalid` for a time in the past, `.notFound`, or `.conflict` when
    ///   nothing is left waiting.
    public func reschedule(_ id: UUID, to time: Date?, tenant: TenantID, now: Date = Date()) async throws -> Post {
        if let time, time <= now { throw PostError(.invalid, "scheduled_at: \(time) is in the past") }
        guard let before = try await posts.post(id, tenant: tenant) else { throw PostError(.notFound, "no such post") }
        if time == nil && before.status != .draft {
            throw PostError(.conflict, "a confirmed post needs a time to move to; cancel it to stop it instead")
        }
        guard let after = try await posts.reschedule(id, to: time, tenant: tenant) else {
            let states = before.targets.map { "\($0.platform) is \($0.status.rawValue)" }.joined(separator: ", ")
            throw PostError(.conflict, before.status == .cancelled ? "the post was cancelled" : "nothing is left waiting to move: \(states)")
        }
        if after.status == .confirmed, let time {
            let queued = after.targets.filter { $0.status == .queued }
            try await scheduler.unschedule(queued.map(\.id))
            try await scheduler.schedule(queued.map { PublishJob(tenantID: tenant.rawValue, postID: after.id, targetID: $0.id) }, at: time)
        }
        return after
    }

    /// Cancels what has not gone out. Targets already published or on their way stay as they are.
    /// - Throws: ``PostError`` `.notFound`, or `.conflict` when nothing was left to cancel.
    public func cancel(_ id: UUID, tenant: TenantID) async throws -> Post {
        guard let before = try await posts.post(id, tenant: tenant) else { throw PostError(.notFound, "no such post") }
        let cancellable = before.targets.filter { $0.status == .draft || $0.status == .queued }
        guard !cancellable.isEmpty else {
            let states = before.targets.map { "\($0.platform) is \($0.status.rawValue)" }.joined(separator: ", ")
            throw PostError(.conflict, "nothing left to cancel: \(states)")
        }
        guard let after = try await posts.cancel(id, tenant: tenant) else { throw PostError(.notFound, "no such post") }
        try await scheduler.unschedule(after.targets.filter { $0.status == .cancelled }.map(\.id))
        return after
    }

    /// Applies a person's button press to a post shown in `conversation`. The button's data comes
    /// from the person's app, so the post must belong to that conversation; anything else is not found.
    public func decide(_ decision: PostDecision, post id: UUID, conversation: UUID, tenant: TenantID) async throws -> Post {
        guard let post = try await posts.post(id, tenant: tenant), post.conversationID == conversation else {
            throw PostError(.notFound, "That post is not from this chat.")
        }
        switch decision {
        case .confirm: return try await confirm(id, tenant: tenant)
        case .cancel: return try await cancel(id, tenant: tenant)
        }
    }

}
