import Foundation
public import Logging

/// The `router` stage: answers a person's message with the tenant's provider chain, streaming
/// the answer to the conversation's event stream as it is produced.
///
/// For each `AnswerRequest` it loads the brand, the feedback signals and the last turns, builds
/// the prompt, reserves the worst-case cost against every budget, runs the chain, publishes deltas,
/// settles the real cost, stores the answer and publishes `message.completed` or `message.failed`.
/// Budget refusals and provider failures become messages to the person, never silence.
///
/// The answer's id is derived from the question's, so a job that runs again (a worker died
/// mid-answer) rewrites the same answer: its deltas carry a later `attempt`, which tells clients
/// to start the text over, and an answer already stored is announced again instead of re-asked.
public struct ChatRouter: StageHandler {
    /// The stage's name for `leopost worker --stages`.
    public static let stage = "router"

    /// Makes the provider chain for a task (`chat`, or a downgrade chain's name) from a tenant's
    /// policy (opening the tenant's secrets it refers to). Core knows no provider adapter; the
    /// composition root supplies this.
    public typealias ChainFactory = @Sendable (_ task: String, _ policy: RoutingPolicy, _ tenant: TenantID) async throws -> ProviderChain

    /// What the router reads and writes.
    public struct Dependencies: Sendable {
        /// Conversations and messages.
        public var conversations: ConversationStore
        /// Brand profiles.
        public var brands: BrandStore
        /// Feedback signals.
        public var feedback: FeedbackStore
        /// Routing policies.
        public var policies: PolicyStore
        /// Usage records.
        public var usage: UsageStore
        /// The conversations' event streams.
        public var events: ConversationEventLog
        /// Budget reservations.
        public var ledger: BudgetLedger
        /// The `delivery` stage, for channels that do not stream; `nil` when none is deployed.
        public var delivery: StageQueue?
        /// People, for their time zones.
        public var users: UserStore
        /// What the model may do besides answering (draft, list, move and cancel posts); none by default.
        public var tools: ToolBox
        /// Where the photos people send are fetched and kept, so models that see images see them;
        /// `nil`: the model reads only that an image was sent.
        public var media: MediaLibrary?

        /// Bundles the dependencies.
        public init(
            conversations: ConversationStore, brands: BrandStore, feedback: FeedbackStore, policies: PolicyStore, usage: UsageStore,
            events: ConversationEventLog, ledger: BudgetLedger, delivery: StageQueue?, users: UserStore, tools: ToolBox = .none,
            media: MediaLibrary? = nil
        ) {
            self.media = media
            self.users = users
            self.tools = tools
            self.conversations = conversations
            self.brands = brands
            self.feedback = feedback
            self.policies = policies
            self.usage = usage
            self.events = events
            self.ledger = ledger
            self.delivery = delivery
        }
    }

    /// Settings read once at start-up.
    public struct Configuration: Sendable {
        /// Earlier messages included in the prompt.
        public var historyTurns: Int
        /// The policy task the chat uses.
        public var task: String
        /// The deployment's channels and what each can do: one that streams shows the event stream
        /// itself, the others get the answer through the delivery stage, and one that can edit what
        /// it sent sees the answer so far as one message growing, at most every `partialInterval`.
        public var channels: ChannelCatalog
        /// How often a partial answer is shown at most; chat apps limit edits per chat.
        public var partialInterval: Duration

        /// Creates a configuration.
        /// - Parameter channels: the registered adapters' catalog (`ChannelCatalog(adapters)`).
        public init(channels: ChannelCatalog, historyTurns: Int = 20, task: String = "chat", partialInterval: Duration = .seconds(1)) {
            self.historyTurns = historyTurns
            self.task = task
            self.channels = channels
            self.partialInterval = partialInterval
        }
    }

    /// What it reads and writes.
    public let dependencies: Dependencies
    let chains: ChainFactory
    /// The settings it was made with.
    public let configuration: Configuration
    let prompts: PromptBuilder
    let logger: Logger

    /// Creates the router.
    public init(dependencies: Dependencies, chains: @escaping ChainFactory, configuration: Configuration, logger: Logger) {
        self.dependencies = dependencies
        self.chains = chains
        self.configuration = configuration
        self.prompts = PromptBuilder()
        self.logger = logger
    }

    public func handle(_ job: StageJob) async throws {
        let request: AnswerRequest
        do { request = try job.decodePayload(as: AnswerRequest.self) } catch {
            throw StageFailure.permanent("not an answer request: \(error)")
        }
        let tenant = request.tenantID
        let answerID = ConversationMessage.answerID(for: request.messageID)
        // The policy is read while the question and any earlier answer are (one statement).
        async let policy = dependencies.policies.effective(tenant: tenant)
        let found = try await dependencies.conversations.messages([request.messageID, answerID], tenant: tenant)
        guard let question = found[request.messageID], question.direction == .inbound else {
            // The conversation was deleted after the message was queued: nothing to answer.
            logger.notice("the message to answer is gone", metadata: [LogKey.messageID: "\(request.messageID)"])
            return
        }
        if let earlier = found[answerID], !Self.isDeadLetterNotice(earlier) {
            // Stored by an earlier run that died before its job was acknowledged: announce it again, never re-ask.
            try await announce(earlier, question: question, request: request, provider: "", model: "")
            return
        }
        let run = AnswerRun(request: request, question: question, answerID: answerID, attempt: Self.runNumber(), jobAttempt: job.attempt)
        let effective: RoutingPolicy
        do {
            effective = try await policy
        } catch let refused as PolicyValidationError {
            // Stored before the operator's rules refused what it names (an `env:` variable, a private
            // base_url): the person hears why, and retrying would not help.
            let issues = refused.issues.map(\.description).joined(separator: "; ")
            try await fail(
                run, code: "invalid_policy",
                message: "This workspace's routing policy can no longer be used (\(issues)); an administrator needs to fix it with PUT /v1/policy.",
                partial: "")
            return
        }
        try await answer(run, policy: effective)
    }

    /// One run of answering one question.
    struct AnswerRun: Sendable {
        let request: AnswerRequest
        let question: ConversationMessage
        let answerID: UUID
        /// Increases from run to run of the same job (milliseconds since 2020), so clients restart the text.
        let attempt: Int
        /// The job's delivery count (1 the first time): fetching a photo is retried a few times
        /// before the answer goes on without it.
        let jobAttempt: Int
        var tenant: TenantID { request.tenantID }
    }

    /// Milliseconds since 2020-01-01: larger for every later run, whichever worker runs it.
    static func runNumber() -> Int {
        Int((Date().timeIntervalSince1970 - 1_577_836_800) * 1000)
    }

    private func answer(_ run: AnswerRun, policy: RoutingPolicy) async throws {
        let tenant = run.tenant
        async let brand = dependencies.brands.profile(tenant: tenant)
        async let signals = dependencies.feedback.recentSignals(tenant: tenant)
        async let turns = dependencies.conversations.recentTurns(
            conversationID: run.request.conversationID, before: run.question.id, tenant: tenant, limit: configuration.historyTurns
        )
        // The person's zone matters only to the tools and their times: a router without tools skips the read.
        let tools = dependencies.tools.definitions
        let offersTools = !tools.isEmpty
        async let zone = offersTools ? dependencies.users.zoneChoice(of: run.request.userID, tenant: tenant) : (zone: LocalTime.utc, known: true)
        let choice = try await zone
        var context = ToolContext(
            tenant: tenant, userID: run.request.userID, conversationID: run.request.conversationID, channel: run.request.channel,
            timeZone: choice.zone, now: Date(), policy: policy)
        context.timeZoneKnown = choice.known
        context.writer = DraftWriter(router: self, run: run, policy: policy, brand: try await brand)
        let history = try await turns
        let sight = try await sight(run, turns: history)
        var prompt = prompts.request(
            brand: try await brand, feedback: try await signals, turns: history, question: run.question.parts.plainText,
            clock: offersTools ? (context.now, context.timeZone) : nil,
            zoneKnown: context.timeZoneKnown || !tools.contains { $0.name == SetTimeZoneTool.name }, sight: sight)
        prompt.tools = tools
        try await steps(prompt, policy: policy, context: context, run: run)
    }

    /// Runs the chain for one step and bills it. Returns the tool calls the model made (none: the
    /// answer is complete), or `nil` when the answer failed and the person was told.
    func stream(_ prompt: ChatRequest, through funded: FundedChain, run: AnswerRun, progress: inout Progress) async throws -> [ToolCall]? {
        let clock = ContinuousClock()
        let started = clock.now
        let answer: ProviderChain.Answer
        var attempts: [ProviderChain.Attempt] = []
        do {
            answer = try await funded.chain.start(prompt, recording: &attempts)
        } catch let error as ProviderError {
            try await settle(funded, attempts: attempts, answering: nil, run: run)
            try await fail(
                run, code: "provider_failed", message: Self.providerMessage(error, started: !progress.text.isEmpty), partial: progress.text)
            return nil
        }
        let relayed = await relay(
            answer.events, run: run, meter: UsageMeter(estimatedInputTokens: UsageMeter.estimateTokens(of: prompt)), started: started,
            earlier: progress.text
        )
        if let interruption = relayed.interruption {
            // Cancelled (the worker is stopping) or Redis failed: bill what was used, then let the job run again.
            // In a task of its own, awaited: this task may be cancelled, and the bill must still be written.
            let answering = AnsweringCall(meter: relayed.meter, firstToken: relayed.firstToken, total: clock.now - started, outcome: "cancelled")
            let attempts = answer.attempts
            try? await Task { try await settle(funded, attempts: attempts, answering: answering, run: run) }.value
            throw interruption
        }
        let answering = AnsweringCall(
            meter: relayed.meter, firstToken: relayed.firstToken, total: clock.now - started, outcome: relayed.failure.map { "\($0.code)" } ?? "ok"
        )
        try await settle(funded, attempts: answer.attempts, answering: answering, run: run)
        progress.text += relayed.text
        progress.stepText = relayed.text
        if let failure = relayed.failure {
            try await fail(run, code: "provider_failed", message: Self.providerMessage(failure, started: true), partial: progress.text)
            return nil
        }
        progress.provider = answer.attempts.last?.provider ?? ""
        progress.model = answer.attempts.last?.model ?? ""
        return relayed.toolCalls
    }

    /// Stores a failed answer (with whatever text had arrived) and tells the person why.
    func fail(_ run: AnswerRun, code: String, message: String, partial: String) async throws {
        let text = partial.isEmpty ? message : partial + "\n\n[\(message)]"
        let stored = ConversationMessage(
            id: run.answerID, conversationID: run.request.conversationID, direction: .outbound, channel: run.request.channel,
            parts: [.text(text)], replyTo: run.question.id, status: .failed
        )
        try await dependencies.conversations.saveAnswer(stored, tenant: run.tenant)
        logger.notice("answer failed", metadata: [LogKey.messageID: "\(run.question.id)", LogKey.failure: "\(code)"])
        try await announce(stored, question: run.question, request: run.request, provider: "", model: "", failure: (code, message))
    }

    /// Publishes the final event of a stored answer and, for channels that do not stream, queues its delivery.
    func announce(
        _ answer: ConversationMessage, question: ConversationMessage, request: AnswerRequest, provider: String, model: String,
        failure: (code: String, message: String)? = nil
    ) async throws {
        let conversation = request.conversationID
        if answer.status == .failed {
            let reason = failure ?? ("provider_failed", answer.parts.plainText)
            try await dependencies.events.publish(
                .messageFailed, AnswerEvents.Failed(messageID: answer.id, replyTo: question.id, code: reason.code, message: reason.message),
                conversation: conversation
            )
        } else {
            try await dependencies.events.publish(
                .messageCompleted,
                AnswerEvents.Completed(messageID: answer.id, replyTo: question.id, text: answer.parts.plainText, provider: provider, model: model),
                conversation: conversation
            )
        }
        guard !configuration.channels.streams(request.channel) else { return }
        guard let delivery = dependencies.delivery,
            let thread = try await dependencies.conversations.conversation(conversation, tenant: request.tenantID, userID: nil)
        else {
            logger.error("no delivery stage for a channel that does not stream", metadata: [LogKey.channel: "\(request.channel)"])
            return
        }
        try await delivery.deliver(answer.parts, messageID: answer.id, to: thread, tenant: request.tenantID, idempotencyKey: "answer:\(answer.id)")
    }

    static func budgetMessage(_ refusal: BudgetExceeded) -> String {
        "This answer was not sent to the AI because it could go over your workspace's \(refusal.level) budget. "
            + "It will work again when the budget period starts over, or when an admin raises the budget in the policy."
    }

    static func providerMessage(_ error: ProviderError, started: Bool) -> String {
        started
            ? "The answer was cut off because the AI provider failed (\(error.code)). Please ask again."
            : "The assistant could not reach an AI provider just now (\(error.code)). Please try again in a moment."
    }
}
