import Foundation

/// The producer side of a stage: puts jobs on its stream, and reads what the stage left behind
/// (dead letters, backlog) for operators and tests.
public struct StageQueue: Sendable {
    /// The stage's keys.
    public let keys: StageKeys
    /// How long an idempotency key keeps a second enqueue out.
    public var idempotencyTTL: Duration
    /// How long an ordering key's counters live after their last use.
    public var sequenceTTL: Duration
    let redis: RedisClient

    /// Creates the queue of stage `stage`.
    public init(stage: String, redis: RedisClient, idempotencyTTL: Duration = .seconds(86_400), sequenceTTL: Duration = .seconds(30 * 86_400)) {
        self.keys = StageKeys(stage: stage)
        self.redis = redis
        self.idempotencyTTL = idempotencyTTL
        self.sequenceTTL = sequenceTTL
    }

    /// What `enqueue` did.
    public struct Enqueued: Sendable, Equatable {
        /// The job's id: new, or the one first enqueued under the same idempotency key.
        public let jobID: String
        /// False when the idempotency key had been seen: nothing was added.
        public let added: Bool
    }

    /// Adds a job; durable in Redis when this returns.
    /// - Parameters:
    ///   - payload: the job's data (JSON text).
    ///   - orderingKey: jobs sharing it run one at a time in enqueue order (a conversation id).
    ///   - idempotencyKey: a second enqueue with the same key within `idempotencyTTL` adds nothing
    ///     (a webhook's external message id).
    ///   - jobID: the job's id; a new UUID when `nil`.
    @discardableResult
    public func enqueue(
        _ payload: String,
        orderingKey: String? = nil,
        idempotencyKey: String? = nil,
        jobID: String? = nil
    ) async throws -> Enqueued {
        let job = StageJob(id: jobID ?? UUID.random().uuidString.lowercased(), orderingKey: orderingKey, sequence: 0, attempt: 1, payload: payload)
        let reply = try await redis.run(
            StageScripts.enqueue,
            keys: [
                keys.stream, idempotencyKey.map(keys.idempotency) ?? keys.unused,
                orderingKey.map(keys.sequence) ?? keys.unused, orderingKey.map(keys.finished) ?? keys.unused,
            ],
            arguments: [
                job.scriptJSON, idempotencyKey == nil ? "0" : "1", Int(idempotencyTTL.components.seconds),
                orderingKey == nil ? "0" : "1", Int(sequenceTTL.components.seconds),
            ]
        )
        guard let parts = reply.array, parts.count == 2, let added = parts[0].int, let id = parts[1].string else {
            throw RedisError.unexpected(reply, expected: "{added, id} from stage.enqueue")
        }
        return Enqueued(jobID: id, added: added == 1)
    }

    /// Jobs not yet finished: entries in the stream (delivered and not acked, or not delivered
    /// yet) and jobs waiting for a retry. Before any worker created the group, every entry counts.
    public func backlog() async throws -> (pending: Int, delayed: Int) {
        let replies = try await redis.pipeline([
            RedisCommand("XLEN", keys.stream),
            RedisCommand("ZCARD", keys.delayed),
        ])
        // Acked entries are deleted at once, so the stream's length is exactly what is left to do.
        return (try replies[0].throwingError().int ?? 0, try replies[1].throwingError().int ?? 0)
    }
}
