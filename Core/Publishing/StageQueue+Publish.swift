extension StageQueue {
    /// Queues `job` on this publish queue under its target's job id, which is also its idempotency
    /// key: a target already queued (by a confirmation, the scheduler's move or the sweeper) gets
    /// nothing added. Returns whether it was added.
    @discardableResult
    func publish(_ job: PublishJob) async throws -> Bool {
        let stageJob = job.stageJob
        return try await enqueue(stageJob.payload, idempotencyKey: stageJob.id, jobID: stageJob.id).added
    }
}
