import Foundation
public import Logging
public import ServiceLifecycle
import Synchronization

/// Consumes one stage's stream: reads jobs as a member of the stage's consumer group, runs the
/// handler, and records each outcome atomically in Redis.
///
/// Guarantees (DESIGN §2): a job is acked only after its handler returned; a failure is retried
/// with backoff through the delayed set, then dead-lettered with its reason; entries left pending
/// by a worker that died are reclaimed after `visibilityTimeout` (live workers keep theirs fresh
/// with a heartbeat); jobs sharing an ordering key run one at a time in enqueue order while other
/// keys run in parallel. On graceful shutdown it stops reading, lets jobs in hand finish, and
/// hands back any that are cancelled.
public final class StageWorker: Service, Sendable {
    /// Tuning of a worker; defaults suit the router and delivery stages.
    public struct Configuration: Sendable {
        /// Jobs run at once by this worker.
        public var concurrency: Int
        /// A pending entry idle this long is taken over by another worker.
        public var visibilityTimeout: Duration
        /// How long one `XREADGROUP` waits for new entries.
        public var readBlock: Duration
        /// How often due retries are moved back to the stream.
        public var promoteInterval: Duration
        /// Backoff and attempt limit.
        public var retry: RetryPolicy
        /// Approximate cap of the dead-letter stream.
        public var deadLetterMaxLength: Int
        /// How long an ordering key's counters live after their last use.
        public var sequenceTTL: Duration
        /// This worker's name in the consumer group; unique per process by default.
        public var consumerName: String
        /// How long the jobs of an ordering key may wait for a predecessor that makes no progress
        /// before the first of them runs anyway: the predecessor is gone (its `done` counter lost
        /// with Redis data). Longer than any job's whole retry schedule, so a live one is never
        /// overtaken; 15 minutes by default.
        public var parkedLimit: Duration
        /// How long one run of the handler may take before it is stopped and the job retried (a
        /// query or a call that hangs must not hold a job, and its conversation, forever); 5
        /// minutes by default, past any answer a model streams.
        public var handlerTimeout: Duration
        /// How long graceful shutdown waits for the jobs in hand before it stops them and hands
        /// them back, so another worker takes them at once; 20 seconds by default, inside the
        /// usual 30 s a supervisor gives before it kills.
        public var shutdownGrace: Duration

        /// Creates a configuration.
        public init(
            concurrency: Int = 8,
            visibilityTimeout: Duration = .seconds(60),
            readBlock: Duration = .milliseconds(500),
            promoteInterval: Duration = .milliseconds(100),
            retry: RetryPolicy = RetryPolicy(),
            deadLetterMaxLength: Int = 100_000,
            sequenceTTL: Duration = .seconds(30 * 86_400),
            consumerName: String = StageWorker.defaultConsumerName(),
            parkedLimit: Duration = .seconds(900),
            handlerTimeout: Duration = .seconds(300),
            shutdownGrace: Duration = .seconds(20)
        ) {
            self.parkedLimit = parkedLimit
            self.handlerTimeout = handlerTimeout
            self.shutdownGrace = shutdownGrace
            self.concurrency = concurrency
            self.visibilityTimeout = visibilityTimeout
            self.readBlock = readBlock
            self.promoteInterval = promoteInterval
            self.retry = retry
            self.deadLetterMaxLength = deadLetterMaxLength
            self.sequenceTTL = sequenceTTL
            self.consumerName = consumerName
        }
    }

    /// The stage's keys.
    public let keys: StageKeys
    let configuration: Configuration
    let redis: RedisClient
    let handler: any StageHandler
    let logger: Logger
    /// Entries this worker holds, by entry id, with their leases: heartbeats keep them from being
    /// reclaimed, and revoke the lease of one another consumer took.
    let inFlight = Mutex<[String: JobLease]>([:])

    /// Creates a worker for `stage`.
    public init(stage: String, redis: RedisClient, handler: any StageHandler, configuration: Configuration = .init(), logger: Logger) {
        self.keys = StageKeys(stage: stage)
        self.redis = redis
        self.handler = handler
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: LogKey.stage] = "\(stage)"
        self.logger = logger
    }

    /// A consumer name unique to this process: host, pid and a random suffix.
    public static func defaultConsumerName() -> String {
        "\(ProcessInfo.processInfo.hostName)-\(getpid())-\(UInt16.random(in: 0...UInt16.max))"
    }

    /// Runs until graceful shutdown; jobs in hand finish before it returns.
    public func run() async throws {
        if redis.commandTimeout * 3 >= configuration.visibilityTimeout {
            logger.warning(
                "the Redis command timeout is not well under a third of the visibility timeout: a stalled worker may still hold jobs another has taken",
                metadata: [LogKey.error: "command timeout \(redis.commandTimeout), visibility timeout \(configuration.visibilityTimeout)"])
        }
        guard try await ensureGroup() else { return }
        let (completions, completed) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await self.maintain() }
            await self.consume(into: &group, completions: completions, completed: completed)
            // Intake has stopped; the task group now waits for the jobs in hand.
        }
    }

    /// Creates the consumer group (from the stream's start, so nothing enqueued earlier is missed),
    /// retrying while Redis is unreachable. Returns false when shut down first.
    private func ensureGroup() async throws -> Bool {
        var backoff = Backoff()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let reply = try await redis.pipeline([RedisCommand("XGROUP", "CREATE", keys.stream, keys.group, "0", "MKSTREAM")])[0]
                if case .error(let text) = reply, RedisError.serverReply(text).code != .busyGroup { throw RedisError.serverReply(text) }
                return true
            } catch {
                logger.info("stage group not ready; retrying", metadata: [LogKey.error: "\(error)"])
                try? await backoff.wait()
            }
        }
        return false
    }

    /// The intake loop: reclaims stale entries, reads new ones, starts a task per job.
    private func consume(
        into group: inout ThrowingDiscardingTaskGroup<any Error>,
        completions: AsyncStream<Void>,
        completed: AsyncStream<Void>.Continuation
    ) async {
        var slotFreed = completions.makeAsyncIterator()
        var nextReclaim = ContinuousClock.now
        // XAUTOCLAIM scans a bounded slice of the pending list per call; the cursor carries the
        // scan over the whole list across calls, so a stale entry behind many live ones is found too.
        var reclaimCursor = "0-0"
        var backoff = Backoff()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let free = configuration.concurrency - inFlight.withLock(\.count)
            if free <= 0 {
                _ = await slotFreed.next()
                continue
            }
            do {
                var entries: [StreamEntry] = []
                if ContinuousClock.now >= nextReclaim {
                    // Reclaimed entries come back already held in `inFlight`.
                    (entries, reclaimCursor) = try await reclaim(limit: free, from: reclaimCursor)
                    if reclaimCursor == "0-0" { nextReclaim = .now + configuration.visibilityTimeout / 2 }
                }
                if entries.isEmpty {
                    entries = try await read(limit: free).filter(hold)
                }
                backoff.reset()
                for entry in entries {
                    group.addTask {
                        defer {
                            _ = self.inFlight.withLock { $0.removeValue(forKey: entry.id) }
                            completed.yield()
                        }
                        await self.process(entry)
                    }
                }
            } catch let error as RedisError where error.code == .noGroup {
                // The stream and its group vanished (Redis restarted without persistence, or the key
                // was deleted and recreated by a producer): make the group again and carry on.
                logger.error("stage consumer group is gone; recreating it", metadata: [LogKey.error: "\(error)"])
                _ = try? await ensureGroup()
            } catch {
                logger.info("stage read failed; retrying", metadata: [LogKey.error: "\(error)"])
                try? await backoff.wait()
            }
        }
    }

    /// Takes a lease on `entry`; false when this worker holds it already.
    private func hold(_ entry: StreamEntry) -> Bool {
        inFlight.withLock { leases in
            guard leases[entry.id] == nil else { return false }
            leases[entry.id] = JobLease()
            return true
        }
    }

    private func read(limit: Int) async throws -> [StreamEntry] {
        let command = RedisCommand(
            "XREADGROUP", "GROUP", keys.group, configuration.consumerName, "COUNT", limit,
            "BLOCK", Int(configuration.readBlock.milliseconds), "STREAMS", keys.stream, ">"
        )
        return StreamEntry.parseRead(try await redis.send(command))
    }

    /// Takes over entries another worker left pending longer than the visibility timeout.
    /// Returns the entries taken and the cursor to continue from ("0-0" once the scan is complete).
    private func reclaim(limit: Int, from cursor: String) async throws -> ([StreamEntry], String) {
        let reply = try await redis.send(
            RedisCommand(
                "XAUTOCLAIM", keys.stream, keys.group, configuration.consumerName,
                Int(configuration.visibilityTimeout.milliseconds), cursor, "COUNT", limit
            )
        )
        guard let parts = reply.array, parts.count >= 2 else { return ([], "0-0") }
        let next = parts[0].string ?? "0-0"
        if parts.count >= 3, let deleted = parts[2].array, !deleted.isEmpty {
            logger.error("pending stream entries were trimmed before they were handled", metadata: [LogKey.stageLost: "\(deleted.count)"])
        }
        // XAUTOCLAIM may hand back an entry this worker is still running (its heartbeat came
        // late): those are skipped. The others are held before their pending state is looked up,
        // so a run that finishes meanwhile has acked before the look-up, which then drops the
        // entry; looking up first would let the entry be run twice.
        var entries = StreamEntry.parseList(parts[1]).filter(hold)
        if !entries.isEmpty {
            logger.info("reclaimed stale stage entries", metadata: [LogKey.stageReclaimed: "\(entries.count)"])
            let held = Set(entries.map(\.id))
            do {
                entries = try await withDeliveryCounts(entries)
            } catch {
                inFlight.withLock { leases in held.forEach { leases.removeValue(forKey: $0) } }
                throw error
            }
            let dropped = held.subtracting(entries.map(\.id))
            if !dropped.isEmpty { inFlight.withLock { leases in dropped.forEach { leases.removeValue(forKey: $0) } } }
        }
        return (entries, next)
    }

    /// Marks entries that were delivered more often than the attempt limit: each delivery that
    /// ended in a reclaim means a worker died holding it (a crash, an out-of-memory kill), and a
    /// job that keeps killing workers must end in the dead-letter stream, not go round forever.
    private func withDeliveryCounts(_ entries: [StreamEntry]) async throws -> [StreamEntry] {
        let replies = try await redis.pipeline(
            entries.map { RedisCommand("XPENDING", keys.stream, keys.group, "IDLE", 0, $0.id, $0.id, 1) }
        )
        return zip(entries, replies).compactMap { entry, reply in
            // Not pending any more: another task finished it between the claim and this look-up
            // (our own, when a heartbeat came late). Running it again would repeat a finished job.
            guard let details = reply.array?.first?.array, details.count >= 4, let deliveries = details[3].int else { return nil }
            var entry = entry
            entry.deliveries = deliveries
            return entry
        }
    }
}

/// Capped exponential backoff for the worker's own calls to Redis (not for jobs).
struct Backoff {
    private var delay: Duration = .milliseconds(100)

    mutating func wait() async throws {
        try await Task.sleep(for: delay)
        delay = min(delay * 2, .seconds(5))
    }

    mutating func reset() { delay = .milliseconds(100) }
}
