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

        /// Creates a configuration.
        public init(heartbeatInterval: Duration = .seconds(15), reconnectDelay: Duration = .seconds(1)) {
            self.heartbeatInterval = heartbeatInterval
            self.reconnectDelay = reconnectDelay
        }
    }

    /// What a watching client is told.
    public enum Signal: Sendable, Equatable {
        /// Its conversation may have new events: read the stream.
        case wake
        /// Nothing new for a while: keep the connection alive.
        case heartbeat
    }

    private struct Watchers {
        var nextToken = 0
        var byConversation: [UUID: [Int: AsyncStream<Signal>.Continuation]] = [:]
        var closed = false
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
    public func signals(for conversation: UUID) -> AsyncStream<Signal> {
        let (stream, continuation) = AsyncStream.makeStream(of: Signal.self, bufferingPolicy: .bufferingNewest(1))
        let token: Int? = watchers.withLock { state in
            guard !state.closed else { return nil }
            state.nextToken += 1
            state.byConversation[conversation, default: [:]][state.nextToken] = continuation
            return state.nextToken
        }
        guard let token else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            self?.watchers.withLock { state in
                state.byConversation[conversation]?[token] = nil
                if state.byConversation[conversation]?.isEmpty == true { state.byConversation[conversation] = nil }
            }
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
                    self.logger.error("the conversation event hub stopped", metadata: ["leopost.error": "\(error)"])
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
                while !stopping.load(ordering: .relaxed) {
                    if let reply = try connection.nextPushed(timeout: .milliseconds(250)) { deliver(reply) }
                    if ContinuousClock.now - lastBeat >= configuration.heartbeatInterval {
                        broadcast(.heartbeat)
                        lastBeat = .now
                    }
                }
                connection.close()
            } catch {
                logger.warning("conversation events: subscription lost, retrying", metadata: ["leopost.error": "\(error)"])
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
