/// An ordered list of providers for one task (`chat`, `draft`, ...), tried in turn.
///
/// Retries a retryable failure on the same entry with backoff (honouring `Retry-After`), falls back
/// to the next entry on the configured codes, and skips entries whose circuit is open — but only
/// until the first token or tool call has reached the caller. After that a failure ends the answer: a user who
/// has seen half an answer must not see another model start over. Every attempt is recorded with
/// its outcome and usage, so the caller can write usage records that say why a fallback happened.
public struct ProviderChain: Sendable {
    /// One entry of the chain.
    public struct Entry: Sendable {
        /// A stable name for the entry's provider endpoint: the circuit breaker's key.
        public var name: String
        /// The adapter.
        public var provider: any AIProvider
        /// The model to ask for.
        public var model: String
        /// The answer's token limit at this entry; the request's own when `nil`.
        public var maxTokens: Int?
        /// How long to wait for the first text before falling back; no limit when `nil`.
        public var firstTokenTimeout: Duration?
        /// The circuit this entry is judged by: the breaker's key. Endpoints a tenant defined have
        /// circuits of that tenant's own; the operator's endpoints share one circuit per endpoint.
        public var circuit: String
        /// This entry's breaker, when it is not the chain's (a tenant's own endpoint, tuned by its policy).
        public var breaker: CircuitBreaker?
        /// Whether a timeout counts as the provider's failure. Off where the caller chose timeouts
        /// tighter than the operator's: a timeout the tenant set must not open a circuit others share.
        public var countsTimeouts: Bool
        /// Whether the entry's model sees images. One that does not gets a note in their place, so
        /// it can say it cannot see them instead of answering as if nothing was sent.
        public var acceptsImages: Bool

        /// Creates an entry.
        public init(
            name: String, provider: any AIProvider, model: String, maxTokens: Int? = nil, firstTokenTimeout: Duration? = nil,
            circuit: String? = nil, breaker: CircuitBreaker? = nil, countsTimeouts: Bool = true, acceptsImages: Bool = false
        ) {
            self.acceptsImages = acceptsImages
            self.name = name
            self.provider = provider
            self.model = model
            self.maxTokens = maxTokens
            self.firstTokenTimeout = firstTokenTimeout
            self.circuit = circuit ?? name
            self.breaker = breaker
            self.countsTimeouts = countsTimeouts
        }
    }

    /// What happened to one attempt.
    public struct Attempt: Sendable, Equatable {
        /// The entry's name.
        public var entry: String
        /// The provider's kind (`openai`, ...), for pricing and usage records.
        public var provider: String
        /// The model asked.
        public var model: String
        /// `nil` when this attempt produced the answer's first token; otherwise why it failed.
        public var failure: ProviderError.Code?
        /// Usage the provider reported before failing (input tokens already billed).
        public var usage: TokenUsage?
    }

    /// The entries, in order.
    public var entries: [Entry]
    /// Retries of one entry before moving on.
    public var retry: RetryPolicy
    /// Codes that move on to the next entry.
    public var fallbackOn: Set<ProviderError.Code>
    /// Shared circuit state; `nil` disables circuit breaking.
    public var breaker: CircuitBreaker?

    /// Creates a chain.
    public init(
        entries: [Entry],
        retry: RetryPolicy = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(200), maxDelay: .seconds(5)),
        fallbackOn: Set<ProviderError.Code> = [.rateLimited, .overloaded, .server, .timeout, .quotaExhausted, .contextTooLong, .malformedResponse],
        breaker: CircuitBreaker? = nil
    ) {
        self.entries = entries
        self.retry = retry
        self.fallbackOn = fallbackOn
        self.breaker = breaker
    }

    /// An answer under way: which entry gave it, what was tried before, and the events from the
    /// first token on.
    public struct Answer: Sendable {
        /// Every attempt, the answering one last.
        public let attempts: [Attempt]
        /// The events of the answer, starting with everything the answering provider sent.
        public let events: AsyncThrowingStream<ChatEvent, any Error>
    }

    /// Finds the first entry that starts answering.
    /// - Throws: the last `ProviderError` when every entry failed or was skipped, or at once one
    ///   whose code is not a fallback trigger (a bad request fails the same everywhere).
    public func start(_ request: ChatRequest) async throws -> Answer {
        var attempts: [Attempt] = []
        return try await start(request, recording: &attempts)
    }

    /// `start(_:)`, leaving every attempt in `attempts` also when it throws, so the failed calls
    /// can be billed and recorded.
    public func start(_ request: ChatRequest, recording attempts: inout [Attempt]) async throws -> Answer {
        attempts = []
        var lastError = ProviderError(code: .server, message: "the chain has no entries", provider: "chain")
        for entry in entries {
            let breaker = entry.breaker ?? self.breaker
            let grant = try await breaker?.grant(entry.circuit)
            if grant?.permission == .refused {
                attempts.append(Attempt(entry: entry.name, provider: entry.provider.kind, model: entry.model, failure: .overloaded, usage: nil))
                lastError = ProviderError(code: .overloaded, message: "the circuit of \(entry.name) is open", provider: entry.provider.kind)
                continue
            }
            // A healthy circuit's success changes nothing: no round trip to say so.
            var reportsSuccess = grant?.reportsSuccess ?? false
            var attempt = 1
            while true {
                var call = request
                call.model = entry.model
                call.maxTokens = entry.maxTokens ?? request.maxTokens
                if !entry.acceptsImages { call.messages = call.messages.map(\.imagesAsNotes) }
                do {
                    let stream: AsyncThrowingStream<ChatEvent, any Error>
                    do { stream = try await entry.provider.stream(call) } catch let error as ProviderError {
                        throw StartFailure(error: error, usage: nil)
                    }
                    let (buffered, rest) = try await Self.firstToken(of: stream, within: entry.firstTokenTimeout, provider: entry.provider.kind)
                    if reportsSuccess { try await breaker?.record(entry.circuit, success: true) }
                    attempts.append(Attempt(entry: entry.name, provider: entry.provider.kind, model: entry.model, failure: nil, usage: nil))
                    return Answer(attempts: attempts, events: Self.replay(buffered, then: rest))
                } catch let failure as StartFailure {
                    let error = failure.error
                    attempts.append(
                        Attempt(entry: entry.name, provider: entry.provider.kind, model: entry.model, failure: error.code, usage: failure.usage))
                    lastError = error
                    if Self.countsAgainstHealth(error.code), entry.countsTimeouts || error.code != .timeout {
                        try await breaker?.record(entry.circuit, success: false)
                        reportsSuccess = true  // a retry's success must reset the count this failure added
                    }
                    if error.isRetryable, case .retry(let delay) = retry.decision(afterFailedAttempt: attempt, reason: "\(error)") {
                        try await Task.sleep(for: max(delay, error.retryAfter ?? .zero))
                        attempt += 1
                        continue
                    }
                    guard fallbackOn.contains(error.code) else { throw error }
                    break
                }
            }
        }
        throw lastError
    }

    /// A context too long or a refused request says nothing about the provider's health.
    static func countsAgainstHealth(_ code: ProviderError.Code) -> Bool {
        ![.contextTooLong, .badRequest, .contentFiltered, .cancelled, .authentication].contains(code)
    }

    /// A failure before the first token, with what the provider had already reported.
    struct StartFailure: Error {
        let error: ProviderError
        let usage: TokenUsage?
    }

    /// Reads until the first text or tool call (or the end), so failures before it can still fall back.
    static func firstToken(
        of stream: AsyncThrowingStream<ChatEvent, any Error>
    ) async throws -> ([ChatEvent], AsyncThrowingStream<ChatEvent, any Error>.AsyncIterator) {
        var iterator = stream.makeAsyncIterator()
        var buffered: [ChatEvent] = []
        var usage: TokenUsage?
        do {
            while let event = try await iterator.next() {
                buffered.append(event)
                if case .usage(let counted) = event { usage = counted }
                // Text or a tool call is the answer starting: from then on a failure is the person's to see.
                if case .delta = event { break }
                if case .toolCall = event { break }
            }
        } catch let error as ProviderError {
            throw StartFailure(error: error, usage: usage)
        }
        return (buffered, iterator)
    }

    /// `firstToken(of:)` with a time limit: past it the attempt fails with `.timeout` (a fallback
    /// trigger) and the provider's stream is cancelled, which ends its HTTP transfer.
    static func firstToken(
        of stream: AsyncThrowingStream<ChatEvent, any Error>, within limit: Duration?, provider: String
    ) async throws -> ([ChatEvent], AsyncThrowingStream<ChatEvent, any Error>.AsyncIterator) {
        guard let limit else { return try await firstToken(of: stream) }
        // The iterator leaves the child task once, after the task has ended.
        typealias Started = SendableBox<([ChatEvent], AsyncThrowingStream<ChatEvent, any Error>.AsyncIterator)>
        let started = try await withThrowingTaskGroup(of: Started?.self) { group in
            group.addTask { Started(try await firstToken(of: stream)) }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
        guard let started else {
            throw StartFailure(error: ProviderError(code: .timeout, message: "no answer text within \(limit)", provider: provider), usage: nil)
        }
        return started.value
    }

    /// Yields the buffered events, then the rest of the provider's stream.
    static func replay(
        _ buffered: [ChatEvent],
        then rest: AsyncThrowingStream<ChatEvent, any Error>.AsyncIterator
    ) -> AsyncThrowingStream<ChatEvent, any Error> {
        let state = SendableBox((buffered: buffered, rest: rest))
        return AsyncThrowingStream(unfolding: {
            if !state.value.buffered.isEmpty { return state.value.buffered.removeFirst() }
            return try await state.value.rest.next()
        })
    }
}
