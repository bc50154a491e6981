public import Foundation

extension PostStore {
    /// A post target that should be on its way and may have lost its job: ids and due time only.
    public struct StalledTarget: Sendable, Equatable {
        /// The tenant it belongs to; everything else about it is read under this tenant.
        public let tenant: TenantID
        /// Its post.
        public let postID: UUID
        /// The target.
        public let targetID: UUID
        /// When the post is due; `nil`: at once.
        public let scheduledAt: Date?
    }

    /// Targets of every tenant's confirmed posts that have been `queued` or `publishing` for longer
    /// than `waited`, due now or within `ahead`, oldest first, at most `limit`: through
    /// `leopost_stalled_post_targets`, the cross-tenant view of the post sweeper migration. A target
    /// whose job is alive is listed too; queueing it again adds nothing (the job id is its key).
    public func stalledTargets(waited: Duration, ahead: Duration, limit: Int) async throws -> [StalledTarget] {
        try await pool.query(
            """
            SELECT tenant_id, post_id, target_id, scheduled_at
            FROM leopost_stalled_post_targets(\(Int(waited.components.seconds)), \(Int(ahead.components.seconds)), \(limit))
            """
        ).map { row in
            StalledTarget(
                tenant: TenantID(try row.decode(UUID.self, column: "tenant_id")), postID: try row.decode(UUID.self, column: "post_id"),
                targetID: try row.decode(UUID.self, column: "target_id"), scheduledAt: try row.decode(Date?.self, column: "scheduled_at"))
        }
    }
}
