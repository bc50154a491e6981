/// The Redis keys of one stage, all sharing the hash tag `{lp:<stage>}`.
///
/// One tag per stage puts every key a stage's Lua scripts touch in one Redis Cluster slot, so
/// the scripts stay atomic on a cluster; different stages still spread over slots.
public struct StageKeys: Sendable, Equatable {
    /// The stage's name, e.g. `router`.
    public let stage: String
    private let tag: String

    /// Creates the key set of a stage.
    public init(stage: String) {
        precondition(!stage.isEmpty && !stage.contains("{") && !stage.contains("}"), "a stage name must be plain text")
        self.stage = stage
        self.tag = "{lp:\(stage)}"
    }

    /// The stream the stage consumes.
    public var stream: String { "\(tag):stream" }
    /// Sorted set of jobs waiting for a retry, scored by due time (Redis clock, milliseconds).
    public var delayed: String { "\(tag):delayed" }
    /// Sorted set of jobs waiting for their first run at a chosen time (scheduled posts), by id,
    /// scored by due time (Redis clock, milliseconds).
    public var scheduled: String { "\(tag):scheduled" }
    /// Hash of the scheduled jobs' JSON, by id.
    public var scheduledJobs: String { "\(tag):scheduled-jobs" }
    /// Stream of jobs that failed for good, each with its reason.
    public var deadLetters: String { "\(tag):dead" }
    /// Sorted set of the ordering keys with parked jobs, scored by when their wait began or last
    /// moved on (Redis clock, ms): a key waiting far too long lost its predecessor.
    public var parkedSince: String { "\(tag):parked-since" }
    /// The consumer group every worker of the stage joins.
    public var group: String { "workers" }
    /// Enqueue-once marker of an idempotency key.
    public func idempotency(_ key: String) -> String { "\(tag):idem:\(key)" }
    /// Last sequence number handed out for an ordering key.
    public func sequence(_ orderingKey: String) -> String { "\(tag):seq:\(orderingKey)" }
    /// Highest sequence number finished for an ordering key.
    public func finished(_ orderingKey: String) -> String { "\(tag):done:\(orderingKey)" }
    /// Jobs of an ordering key that arrived before their predecessor finished.
    public func parked(_ orderingKey: String) -> String { "\(tag):wait:\(orderingKey)" }
    /// A placeholder in the stage's slot for scripts called without an ordering key.
    var unused: String { "\(tag):none" }
}
