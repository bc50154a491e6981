extension StageQueue {
    /// A job the stage gave up on, with the reason.
    public struct DeadLetter: Sendable, Equatable {
        /// Its entry in the dead-letter stream: what `show`, `replay` and `purge` name.
        public let entryID: String
        /// The job as it was last attempted.
        public let job: StageJob
        /// Why it failed for good.
        public let reason: String
        /// When it was dead-lettered (Redis clock, ms since 1970).
        public let failedAtMilliseconds: Int64

        init?(_ entry: StreamEntry) {
            guard let job = StageJob(fields: entry.fields) else { return nil }
            self.entryID = entry.id
            self.job = job
            self.reason = entry.fields["reason"] ?? ""
            self.failedAtMilliseconds = entry.fields["failed_at"].flatMap { Int64($0) } ?? 0
        }
    }

    /// The most recent dead letters, oldest first.
    public func deadLetters(limit: Int = 100) async throws -> [DeadLetter] {
        let reply = try await redis.send(RedisCommand("XREVRANGE", keys.deadLetters, "+", "-", "COUNT", limit))
        return StreamEntry.parseList(reply).reversed().compactMap(DeadLetter.init)
    }

    /// The dead letter with entry id `id`, or `nil` (never was, replayed or purged).
    public func deadLetter(_ id: String) async throws -> DeadLetter? {
        let reply = try await redis.send(RedisCommand("XRANGE", keys.deadLetters, id, id))
        return StreamEntry.parseList(reply).first.flatMap(DeadLetter.init)
    }

    /// Runs dead letter `id` again: it leaves the dead-letter stream and joins the stage's stream
    /// as a first attempt, with the same job id, so the handler's idempotent effects make a
    /// repeated replay (or one racing another operator's) do nothing twice. An ordered job gets a
    /// new place after every job of its key queued so far: its old place counted as finished when
    /// it was dead-lettered, and its successors ran.
    /// - Returns: false when there was no such dead letter (already replayed or purged).
    public func replay(_ id: String) async throws -> Bool {
        guard let letter = try await deadLetter(id) else { return false }
        let job = StageJob(id: letter.job.id, orderingKey: letter.job.orderingKey, sequence: 0, attempt: 1, payload: letter.job.payload)
        let key = job.orderingKey
        let reply = try await redis.run(
            StageScripts.replay,
            keys: [keys.deadLetters, keys.stream, key.map(keys.sequence) ?? keys.unused, key.map(keys.finished) ?? keys.unused],
            arguments: [id, job.scriptJSON, key == nil ? "0" : "1", Int(sequenceTTL.components.seconds)]
        )
        return try reply.throwingError().int == 1
    }

    /// Deletes dead letter `id`, or every dead letter of the stage when `id` is `nil`.
    /// - Returns: how many were deleted.
    public func purge(_ id: String?) async throws -> Int {
        guard let id else {
            let replies = try await redis.pipeline([RedisCommand("XLEN", keys.deadLetters), RedisCommand("DEL", keys.deadLetters)])
            return try replies[0].throwingError().int ?? 0
        }
        return try await redis.send(RedisCommand("XDEL", keys.deadLetters, id)).throwingError().int ?? 0
    }
}
