public import Foundation
public import Logging
import NIOPosix
public import ServiceLifecycle
import Synchronization

/// Wakes the SSE clients of this process when their conversation has new events, whichever
/// process published them: one Redis subscription per process, however many clients it serves.
///
/// A wake-up carries no event: the client reads its conversation's stream from its own last id
/// (`ConversationEventLog`), so a missed or merged wake-up delays nothing and loses nothing. After
/// the subscription reconnects every client is woken, to read what was published meanwhile. The
/// hub also sends a heartbeat signal on an interval, which the SSE route turns into a comment line
/// that keeps proxies from closing idle streams (one timer for all clients, not one each).
public final class ConversationEventHub: Service, Sendable {
    /// Timing of the hub.
    public struct Configuration: Sendable {
        /// How often idle clients get a heartbeat.
        public var heartbeatInterval: Duration
        /// How long to wait before resubscribing after Redis went away.
        public var reconnectDelay: Duration
        /// How many streams one holder (a person) may have open in this process; a new one closes
        /// the oldest (`LEOPOST_MAX_EVENT_STREAMS`).
        public var maxStreamsPerHolder: Int
        /// How often the subscription sends `PING`; with no reply to three in a row, the socket is
        /// taken for half-open (Redis gone without a word) and the hub subscribes anew. A quiet
        /// subscription reads nothing for minutes, so only asking tells a dead one from an idle one.
        public var pingInterval: Duration

        /// Creates a configuration.
        public init(
            heartbeatInterval: Duration = .seconds(15), reconnectDelay: Duration = .seconds(1), maxStreamsPerHolder: Int = 20,
            pingInterval: Duration = .seconds(5)
        ) {
            self.pingInterval = pingInterval
            self.heartbeatInterval = heartbeatInterval
            self.reconnectDelay = reconnectDelay
            self.maxStreamsPerHolder = maxStreamsPerHolder
        }
    }

    /// What a watching client is told.
    public enum Signal: Sendable, Equatable {
        /// Its conversation may have new events: read the stream.
        case wake
        /// Nothing new for a while: keep the connection alive.
        case heartbeat
        /// Its holder opened more streams than allowed and this is the oldest: say so and end.
        case superseded
    }

    private struct Watchers {
        var nextToken = 0
        var byConversation: [UUID: [Int: AsyncStream<Signal>.Continuation]] = [:]
        /// Each holder's streams, oldest first, and the conversation each one watches.
        var byHolder: [String: [(token: Int, conversation: UUID)]] = [:]
        var closed = false

        mutating func remove(_ token: Int, conversation: UUID, holder: String?) {
            byConversation[conversation]?[token] = nil
            if byConversation[conversation]?.isEmpty == true { byConversation[conversation] = nil }
            guard let holder else { return }
            byHolder[holder]?.removeAll { $0.token == token }
            if byHolder[holder]?.isEmpty == true { byHolder[holder] = nil }
        }
    }

    private let url: RedisURL
    private let configuration: Configuration
    private let logger: Logger
    private let watchers = Mutex(Watchers())
    private let stopping = Atomic<Bool>(false)

    /// Creates a hub for the Redis at `url`.
    public init(url: RedisURL, configuration: Configuration = .init(), logger: Logger) {
        self.url = url
        self.configuration = configuration
        self.logger = logger
    }

    /// Signals for one conversation, until the caller stops iterating or the hub stops.
    ///
    /// Buffers at most one signal: a slow client reads everything new in one go when it catches up.
    /// - Parameter holder: who holds the stream (a person); past ``Configuration/maxStreamsPerHolder``
    ///   their oldest stream gets ``Signal/superseded`` and ends. `nil` is not limited (the API key).
    public func signals(for conversation: UUID, holder: String? = nil) -> AsyncStream<Signal> {
        let (stream, continuation) = AsyncStream.makeStream(of: Signal.self, bufferingPolicy: .bufferingNewest(1))
        let registered: (token: Int, evicted: AsyncStream<Signal>.Continuation?)? = watchers.withLock { state in
            guard !state.closed else { return nil }
            state.nextToken += 1
            let token = state.nextToken
            state.byConversation[conversation, default: [:]][token] = continuation
            guard let holder else { return (token, nil) }
            state.byHolder[holder, default: []].append((token, conversation))
            guard let held = state.byHolder[holder], held.count > configuration.maxStreamsPerHolder else { return (token, nil) }
            let oldest = held[0]
            let evicted = state.byConversation[oldest.conversation]?[oldest.token]
            state.remove(oldest.token, conversation: oldest.conversation, holder: holder)
            return (token, evicted)
        }
        guard let registered else {
            continuation.finish()
            return stream
        }
        if let evicted = registered.evicted {
            evicted.yield(.superseded)
            evicted.finish()
        }
        continuation.onTermination = { [weak self] _ in
            self?.watchers.withLock { $0.remove(registered.token, conversation: conversation, holder: holder) }
        }
        return stream
    }

    /// How many clients are watching, for metrics and tests.
    public var watcherCount: Int {
        watchers.withLock { $0.byConversation.values.reduce(0) { $0 + $1.count } }
    }

    /// Runs the subscription until graceful shutdown, then ends every client's signal stream.
    public func run() async throws {
        let thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                do { try await thread.runIfActive { self.readLoop() } } catch {
                    self.logger.error("the conversation event hub stopped", metadata: [LogKey.error: "\(error)"])
                }
            } onCancel: {
                self.stopping.store(true, ordering: .relaxed)
            }
        } onGracefulShutdown: {
            self.stopping.store(true, ordering: .relaxed)
        }
        try? await thread.shutdownGracefully()
        let all = watchers.withLock { state in
            state.closed = true
            defer { state.byConversation = [:] }
            return state.byConversation.values.flatMap(\.values)
        }
        for continuation in all { continuation.finish() }
    }

    /// The blocking subscription loop, on the hub's own thread.
    private func readLoop() {
        var lastBeat = ContinuousClock.now
        while !stopping.load(ordering: .relaxed) {
            do {
                let connection = try RedisConnection(url: url)
                try connection.write(RedisCommand("SUBSCRIBE", ConversationEventLog.announcementChannel))
                broadcast(.wake)  // catch up on whatever was published while unsubscribed
                var lastHeard = ContinuousClock.now
                var lastPing = ContinuousClock.now
                while !stopping.load(ordering: .relaxed) {
                    if let reply = try connection.nextPushed(timeout: .milliseconds(250)) {
                        lastHeard = .now
                        deliver(reply)
                    }
                    if ContinuousClock.now - lastPing >= configuration.pingInterval {
                        try connection.write(RedisCommand("PING"))
                        lastPing = .now
                    }
                    if ContinuousClock.now - lastHeard >= configuration.pingInterval * 3 {
                        connection.close()
                        throw RedisError(
                            code: .timeout, message: "no answer on the event subscription for \(configuration.pingInterval * 3), pings included")
                    }
                    if ContinuousClock.now - lastBeat >= configuration.heartbeatInterval {
                        broadcast(.heartbeat)
                        lastBeat = .now
                    }
                }
                connection.close()
            } catch {
                logger.warning("conversation events: subscription lost, retrying", metadata: [LogKey.error: "\(error)"])
                let until = ContinuousClock.now + configuration.reconnectDelay
                while !stopping.load(ordering: .relaxed), ContinuousClock.now < until { usleep(50_000) }
                broadcast(.heartbeat)
            }
        }
    }

    /// Handles one pushed reply: `["message", channel, conversation id]`.
    private func deliver(_ reply: RedisReply) {
        guard let parts = reply.array, parts.count == 3, parts[0].string == "message",
            let conversation = parts[2].string.flatMap(UUID.init(uuidString:))
        else { return }
        let targets = watchers.withLock { $0.byConversation[conversation].map { Array($0.values) } ?? [] }
        for continuation in targets { continuation.yield(.wake) }
    }

    private func broadcast(_ signal: Signal) {
        let all = watchers.withLock { $0.byConversation.values.flatMap(\.values) }
        for continuation in all { continuation.yield(signal) }
    }
}
