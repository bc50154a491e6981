import Logging
import ServiceLifecycle
import Synchronization

extension StageWorker {
    /// Runs one entry through admission, the handler and the outcome script.
    func process(_ entry: StreamEntry) async {
        let lease = inFlight.withLock { $0[entry.id] } ?? JobLease()
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
            await deadLetter(job, entryID: entry.id, reason: reason, regardless: true)
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
            try await run(job, under: lease)
            await record("finish", job: job, entryID: entry.id) { try await self.finish(job, entryID: entry.id, deadReason: nil) }
        } catch let revoked as JobLeaseRevoked {
            logger.warning("stage job taken over by another worker; stopped here", metadata: [LogKey.jobID: "\(job.id)", LogKey.error: "\(revoked)"])
        } catch let failure as StageFailure {
            await deadLetter(job, entryID: entry.id, reason: failure.reason)
        } catch  where Task.isCancelled || error is StageShutdownDeadline {
            await record("hand-back", job: job, entryID: entry.id) {
                try await self.redis.run(
                    StageScripts.handBack, keys: [self.keys.stream],
                    arguments: [self.keys.group, entry.id, job.scriptJSON, self.configuration.consumerName])
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
                        arguments: [self.keys.group, entry.id, next.scriptJSON, Int(delay.milliseconds), self.configuration.consumerName]
                    )
                }
            case .deadLetter(let reason):
                await deadLetter(job, entryID: entry.id, reason: reason)
            }
        }
    }

    /// Runs the handler until it returns, or until the lease is revoked (another consumer owns the
    /// entry now): then the handler is cancelled and ``JobLeaseRevoked`` thrown, so no outcome is
    /// recorded by a worker that no longer owns the job.
    /// The handler is also stopped after the stage's `handlerTimeout` (``StageHandlerTimeout``, retried
    /// as a failure), and by graceful shutdown past its limit (``StageShutdownDeadline``: handed back);
    /// ``maintain()`` revokes the lease in each case, so a job costs one watching task, not a timer too.
    private func run(_ job: StageJob, under lease: JobLease) async throws {
        let limit = configuration.handlerTimeout
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.handler.handle(job) }
            group.addTask {
                await lease.untilRevoked()
                switch lease.revocation {
                case .takenOver: throw JobLeaseRevoked()
                case .shutdown: throw StageShutdownDeadline()
                case .timeLimit: throw StageHandlerTimeout(limit: limit)
                case nil: return
                }
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    /// Gives up on a job: the handler tells the person (``StageHandler/deadLettered(_:reason:)``),
    /// then the job moves to the dead-letter stream. When the handler cannot tell (PostgreSQL is
    /// down), the entry stays pending and the job runs again once reclaimed, unless `regardless`
    /// (its delivery limit is spent: keeping it would crash-loop the stage), when it is
    /// dead-lettered anyway and the log says no one was told.
    private func deadLetter(_ job: StageJob, entryID: String, reason: String, regardless: Bool = false) async {
        logger.error("stage job dead-lettered", metadata: [LogKey.jobID: "\(job.id)", LogKey.error: "\(reason)"])
        do {
            try await handler.deadLettered(job, reason: reason)
        } catch {
            guard regardless else {
                logger.error(
                    "the stage could not record its failed job; the entry stays pending and is tried again",
                    metadata: [LogKey.jobID: "\(job.id)", LogKey.error: "\(error)"])
                return
            }
            logger.error(
                "the stage could not record its failed job; dead-lettered without telling anyone",
                metadata: [LogKey.jobID: "\(job.id)", LogKey.error: "\(error)"])
        }
        await record("dead-letter", job: job, entryID: entryID) { try await self.finish(job, entryID: entryID, deadReason: reason) }
    }

    /// True when an ordered job may run now; parks it (or drops a duplicate) otherwise.
    private func admit(_ job: StageJob, entryID: String) async throws -> Bool {
        guard let key = job.orderingKey else { return true }
        let verdict = try await redis.run(
            StageScripts.admit,
            keys: [keys.stream, keys.finished(key), keys.parked(key), keys.parkedSince],
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
    /// Returns the script's reply: -1 when the entry is no longer this worker's.
    private func finish(_ job: StageJob, entryID: String, deadReason: String?) async throws -> RedisReply {
        let key = job.orderingKey
        return try await redis.run(
            StageScripts.finish,
            keys: [
                keys.stream, keys.deadLetters, key.map(keys.finished) ?? keys.unused, key.map(keys.parked) ?? keys.unused, keys.parkedSince,
            ],
            arguments: [
                keys.group, entryID, job.scriptJSON, deadReason == nil ? "0" : "1", deadReason ?? "",
                key == nil ? "0" : "1", Int(configuration.sequenceTTL.components.seconds), configuration.deadLetterMaxLength,
                configuration.consumerName,
            ]
        )
    }

    /// Records an outcome; if Redis is unreachable the entry stays pending and is reclaimed later,
    /// so the outcome is never lost, only delayed.
    /// An outcome script that finds the entry owned by another consumer changes nothing (-1): the
    /// other worker runs the job now and records its outcome.
    private func record(_ outcome: String, job: StageJob, entryID: String, _ body: @Sendable () async throws -> RedisReply) async {
        do {
            if try await body().int == -1 {
                logger.warning(
                    "stage outcome not recorded: another worker owns the job now",
                    metadata: [LogKey.jobID: "\(job.id)", LogKey.stageOutcome: "\(outcome)"])
            }
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
    /// The two fail separately: a promotion that fails does not skip a heartbeat. When no
    /// heartbeat got through for two thirds of the visibility timeout, the jobs in hand are
    /// stopped before any other worker may take them (at a whole timeout), so two never run one
    /// job at once; their entries are reclaimed and run again.
    func maintain() async {
        var nextHeartbeat = ContinuousClock.now
        var lastRenewal = ContinuousClock.now
        var nextUnpark = ContinuousClock.now
        var stoppingSince: ContinuousClock.Instant?
        while !Task.isCancelled {
            let stopping = Task.isShuttingDownGracefully
            if stopping && inFlight.withLock(\.isEmpty) { return }
            // Handlers past their time limit are stopped (checked here, every turn, rather than by a
            // timer per job).
            let overdue = ContinuousClock.now - configuration.handlerTimeout
            for lease in inFlight.withLock({ $0.values.filter { $0.taken < overdue } }) where !lease.isRevoked {
                logger.warning("stage job ran past its time limit; stopping it", metadata: [LogKey.error: "\(configuration.handlerTimeout)"])
                lease.revoke(.timeLimit)
            }
            if stopping {
                let since = stoppingSince ?? .now
                stoppingSince = since
                if ContinuousClock.now - since >= configuration.shutdownGrace {
                    let leases = inFlight.withLock { Array($0.values) }.filter { !$0.isRevoked }
                    if !leases.isEmpty {
                        logger.warning(
                            "graceful shutdown ran past its limit; handing the jobs in hand back", metadata: [LogKey.stageStopped: "\(leases.count)"])
                    }
                    leases.forEach { $0.revoke(.shutdown) }
                }
            }
            if !stopping {
                do {
                    while try await redis.run(StageScripts.promote, keys: [keys.delayed, keys.stream], arguments: [500]).int ?? 0 >= 500 {}
                } catch {
                    logger.info("stage retries not promoted; trying again", metadata: [LogKey.error: "\(error)"])
                }
                if ContinuousClock.now >= nextUnpark {
                    nextUnpark = .now + min(configuration.parkedLimit / 4, .seconds(10))
                    await unparkStalled()
                }
            }
            if ContinuousClock.now >= nextHeartbeat {
                // Redis resets the entries' idle time when it runs the heartbeat, after this instant:
                // counting from here errs on the side of stopping early.
                let sent = ContinuousClock.now
                do {
                    try await heartbeat()
                    lastRenewal = sent
                    nextHeartbeat = .now + configuration.visibilityTimeout / 3
                } catch {
                    logger.warning("stage heartbeat failed; trying again", metadata: [LogKey.error: "\(error)"])
                    if ContinuousClock.now - lastRenewal >= configuration.visibilityTimeout * 2 / 3 {
                        let leases = inFlight.withLock { Array($0.values) }
                        if !leases.isEmpty {
                            logger.error(
                                "no heartbeat for two thirds of the visibility timeout; stopping the jobs in hand before another worker may take them",
                                metadata: [LogKey.stageStopped: "\(leases.count)"])
                        }
                        leases.forEach { $0.revoke() }
                    }
                }
            }
            try? await Task.sleep(for: stopping ? .milliseconds(20) : configuration.promoteInterval)
        }
    }

    /// Runs the first parked job of each ordering key that has waited past the parked limit with
    /// no progress: its predecessor is gone, and the conversation would otherwise wait forever.
    private func unparkStalled() async {
        let age = Int(configuration.parkedLimit.milliseconds)
        do {
            let stalled = try await redis.run(StageScripts.stalledKeys, keys: [keys.parkedSince], arguments: [age, 100]).throwingError()
            for key in (stalled.array ?? []).compactMap(\.string) {
                let released =
                    try await redis.run(
                        StageScripts.unpark, keys: [keys.stream, keys.finished(key), keys.parked(key), keys.parkedSince],
                        arguments: [key, age, Int(configuration.sequenceTTL.components.seconds)]
                    ).throwingError().int ?? 0
                if released > 0 {
                    logger.error(
                        "ordered jobs waited past the parked limit for a predecessor that never finished; running the next one",
                        metadata: [LogKey.orderingKey: "\(key)", LogKey.jobSequence: "\(released)"])
                }
            }
        } catch {
            logger.info("stalled ordering keys not checked; trying again", metadata: [LogKey.error: "\(error)"])
        }
    }

    /// Resets the idle time of every entry this worker still owns, and revokes the lease of every
    /// one another consumer took over meanwhile (its handler stops; the new owner runs the job).
    private func heartbeat() async throws {
        let ids = inFlight.withLock { Array($0.keys) }
        guard !ids.isEmpty else { return }
        let reply = try await redis.run(
            StageScripts.renew, keys: [keys.stream],
            arguments: [keys.group, configuration.consumerName] + ids.map { $0 as any RedisArgumentConvertible }
        ).throwingError()
        let lost = (reply.array ?? []).compactMap(\.string)
        guard !lost.isEmpty else { return }
        let leases = inFlight.withLock { leases in lost.compactMap { leases[$0] } }
        if !leases.isEmpty {
            logger.warning(
                "stage jobs reclaimed by another worker while this one held them; stopping them here",
                metadata: [LogKey.stageStopped: "\(leases.count)"])
        }
        leases.forEach { $0.revoke() }
    }
}
