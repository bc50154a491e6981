import Logging
import ServiceLifecycle
import Synchronization

extension StageWorker {
    /// Runs one entry through admission, the handler and the outcome script.
    func process(_ entry: StreamEntry) async {
        guard let job = StageJob(fields: entry.fields) else {
            let raw = entry.fields.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
            let placeholder = StageJob(id: entry.id, orderingKey: nil, sequence: 0, attempt: 1, payload: raw)
            await record("malformed", job: placeholder, entryID: entry.id) {
                try await self.finish(placeholder, entryID: entry.id, deadReason: "malformed stream entry (missing id, seq, attempt or payload)")
            }
            return
        }
        // Each reclaim means the worker holding the entry died (not a handler error, which is
        // counted in `attempt`); past the attempt limit the job is the likely cause.
        if entry.deliveries > configuration.retry.maxAttempts {
            let reason = "delivered \(entry.deliveries) times and every worker holding it stopped before finishing (crash or kill?)"
            logger.error("stage job dead-lettered", metadata: [LogKey.jobID: "\(job.id)", LogKey.error: "\(reason)"])
            await record("dead-letter", job: job, entryID: entry.id) { try await self.finish(job, entryID: entry.id, deadReason: reason) }
            return
        }
        if job.orderingKey != nil {
            do {
                guard try await admit(job, entryID: entry.id) else { return }
            } catch {
                logger.info("stage admission failed; the entry stays pending", metadata: [LogKey.error: "\(error)"])
                return
            }
        }
        do {
            try await handler.handle(job)
            await record("finish", job: job, entryID: entry.id) { try await self.finish(job, entryID: entry.id, deadReason: nil) }
        } catch let failure as StageFailure {
            await record("dead-letter", job: job, entryID: entry.id) {
                try await self.finish(job, entryID: entry.id, deadReason: failure.reason)
            }
        } catch  where Task.isCancelled {
            await record("hand-back", job: job, entryID: entry.id) {
                try await self.redis.run(StageScripts.handBack, keys: [self.keys.stream], arguments: [self.keys.group, entry.id, job.scriptJSON])
            }
        } catch {
            switch configuration.retry.decision(afterFailedAttempt: job.attempt, reason: "\(error)") {
            case .retry(let backoff):
                let delay = max(backoff, (error as? any RetryAfterError)?.retryAfter ?? .zero)
                logger.info(
                    "stage job failed; retrying",
                    metadata: [LogKey.jobID: "\(job.id)", LogKey.jobAttempt: "\(job.attempt)", LogKey.error: "\(error)"]
                )
                let next = StageJob(
                    id: job.id, orderingKey: job.orderingKey, sequence: job.sequence, attempt: job.attempt + 1, payload: job.payload
                )
                await record("retry", job: job, entryID: entry.id) {
                    try await self.redis.run(
                        StageScripts.retry,
                        keys: [self.keys.stream, self.keys.delayed],
                        arguments: [self.keys.group, entry.id, next.scriptJSON, Int(delay.milliseconds)]
                    )
                }
            case .deadLetter(let reason):
                logger.error("stage job dead-lettered", metadata: [LogKey.jobID: "\(job.id)", LogKey.error: "\(reason)"])
                await record("dead-letter", job: job, entryID: entry.id) { try await self.finish(job, entryID: entry.id, deadReason: reason) }
            }
        }
    }

    /// True when an ordered job may run now; parks it (or drops a duplicate) otherwise.
    private func admit(_ job: StageJob, entryID: String) async throws -> Bool {
        guard let key = job.orderingKey else { return true }
        let verdict = try await redis.run(
            StageScripts.admit,
            keys: [keys.stream, keys.finished(key), keys.parked(key)],
            arguments: [keys.group, entryID, job.scriptJSON]
        ).string
        switch verdict {
        case "ready": return true
        case "parked":
            logger.debug("stage job parked behind its predecessor", metadata: [LogKey.jobID: "\(job.id)"])
            return false
        default:
            logger.debug("stage job already finished; acked", metadata: [LogKey.jobID: "\(job.id)"])
            return false
        }
    }

    /// Acks a job (dead-lettering it when `deadReason` is given) and releases its successor.
    private func finish(_ job: StageJob, entryID: String, deadReason: String?) async throws {
        let key = job.orderingKey
        try await redis.run(
            StageScripts.finish,
            keys: [keys.stream, keys.deadLetters, key.map(keys.finished) ?? keys.unused, key.map(keys.parked) ?? keys.unused],
            arguments: [
                keys.group, entryID, job.scriptJSON, deadReason == nil ? "0" : "1", deadReason ?? "",
                key == nil ? "0" : "1", Int(configuration.sequenceTTL.components.seconds), configuration.deadLetterMaxLength,
            ]
        )
    }

    /// Records an outcome; if Redis is unreachable the entry stays pending and is reclaimed later,
    /// so the outcome is never lost, only delayed.
    private func record(_ outcome: String, job: StageJob, entryID: String, _ body: @Sendable () async throws -> Void) async {
        do {
            try await body()
        } catch {
            logger.error(
                "could not record a stage outcome; the entry stays pending and will be retried",
                metadata: [LogKey.jobID: "\(job.id)", LogKey.stageOutcome: "\(outcome)", LogKey.error: "\(error)"]
            )
        }
    }

    /// Moves due retries back to the stream and keeps this worker's entries from looking stale.
    ///
    /// Promotion stops with intake at graceful shutdown; the heartbeat goes on until the last job
    /// in hand has finished, so a slow job is not reclaimed by another worker while it still runs.
    func maintain() async {
        var nextHeartbeat = ContinuousClock.now
        while !Task.isCancelled {
            let stopping = Task.isShuttingDownGracefully
            if stopping && inFlight.withLock(\.isEmpty) { return }
            do {
                var moved = 0
                while !stopping {
                    moved = try await redis.run(StageScripts.promote, keys: [keys.delayed, keys.stream], arguments: [500]).int ?? 0
                    if moved < 500 { break }
                }
                if ContinuousClock.now >= nextHeartbeat {
                    try await heartbeat()
                    nextHeartbeat = .now + configuration.visibilityTimeout / 3
                }
            } catch {
                logger.info("stage maintenance failed; retrying", metadata: [LogKey.error: "\(error)"])
            }
            try? await Task.sleep(for: stopping ? .milliseconds(20) : configuration.promoteInterval)
        }
    }

    /// Resets the idle time of every entry this worker is still working on.
    private func heartbeat() async throws {
        let ids = inFlight.withLock { Array($0) }
        guard !ids.isEmpty else { return }
        try await redis.send(
            RedisCommand("XCLAIM", arguments: [keys.stream, keys.group, configuration.consumerName, 0] + ids + ["JUSTID"])
        )
    }
}
