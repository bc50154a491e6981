public import Foundation

/// The publish stage's job: one target of one post. It carries ids only; the post, its state and
/// the account are read from PostgreSQL when the job runs, so a job that waited (scheduled, or
/// retried) acts on what is true then (a cancel, a new token).
public struct PublishJob: Sendable, Codable, Equatable {
    /// The tenant.
    public var tenantID: UUID
    /// The post.
    public var postID: UUID
    /// The target (one platform).
    public var targetID: UUID

    enum CodingKeys: String, CodingKey {
        case tenantID = "tenant_id"
        case postID = "post_id"
        case targetID = "target_id"
    }

    /// Creates a job.
    public init(tenantID: UUID, postID: UUID, targetID: UUID) {
        self.tenantID = tenantID
        self.postID = postID
        self.targetID = targetID
    }

    /// The job as the stage runtime carries it: its id is the target's, so the same target is
    /// never queued twice.
    var stageJob: StageJob {
        let payload = String(decoding: (try? JSONCoding.encoder.encode(self)) ?? Data(), as: UTF8.self)
        return StageJob(id: "publish:\(targetID.uuidString.lowercased())", orderingKey: nil, sequence: 0, attempt: 1, payload: payload)
    }
}
