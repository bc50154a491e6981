/// Every `leopost.*` metadata key Leopost logs with, in one place: the set stays closed and
/// greppable, and a dashboard or a log query can rely on the names.
public enum LogKey {
    /// Which budget refused or downgraded an answer (`daily`, `monthly`, `message`).
    public static let budgetLevel = "leopost.budget.level"
    /// The cheaper chain a spent budget downgraded an answer to.
    public static let chain = "leopost.chain"
    /// The channel a message came from or goes to (`web`, `telegram`, ...).
    public static let channel = "leopost.channel"
    /// The channel connection (a bot, a phone number) a webhook or delivery is for.
    public static let connectionID = "leopost.connection.id"
    /// The error, as its description says it; errors never carry a secret (URLs are reduced to their origin).
    public static let error = "leopost.error"
    /// Why an answer failed, as the code its `message.failed` event carries.
    public static let failure = "leopost.failure"
    /// Why an outbound request failed, or why the egress guard refused it.
    public static let httpError = "leopost.http.error"
    /// The status an outbound request was answered with.
    public static let httpStatus = "leopost.http.status"
    /// An outbound request's method and origin (`POST https://api.x.com:443`), never its path or query.
    public static let httpTarget = "leopost.http.target"
    /// Which attempt of a stage job this is, from 1.
    public static let jobAttempt = "leopost.job.attempt"
    /// A stage job's id, the same across its retries.
    public static let jobID = "leopost.job.id"
    /// A stage job's ordering key (a conversation id).
    public static let orderingKey = "leopost.job.key"
    /// A stage job's place within its ordering key.
    public static let jobSequence = "leopost.job.seq"
    /// A conversation message's id.
    public static let messageID = "leopost.message.id"
    /// The migrations a start applied.
    public static let migrationApplied = "leopost.migration.applied"
    /// A migration's name.
    public static let migrationName = "leopost.migration.name"
    /// A migration's number.
    public static let migrationVersion = "leopost.migration.version"
    /// How many pieces an answer was split into for a channel.
    public static let pieces = "leopost.pieces"
    /// A platform plugin's name.
    public static let plugin = "leopost.plugin"
    /// The library a plugin was loaded from.
    public static let pluginFile = "leopost.plugin.file"
    /// The origin a plugin tried to call outside its manifest.
    public static let pluginURL = "leopost.plugin.url"
    /// A plugin's own version.
    public static let pluginVersion = "leopost.plugin.version"
    /// Which server a blocking connection pool talks to (`Redis`, `PostgreSQL`).
    public static let poolServer = "leopost.pool.server"
    /// A post's id.
    public static let postID = "leopost.post.id"
    /// `host:port/database` of a PostgreSQL server, never its password.
    public static let postgresAddress = "leopost.postgres.address"
    /// The embedded PostgreSQL's data directory.
    public static let postgresData = "leopost.postgres.data"
    /// Where the embedded cluster is kept when the postgres user cannot reach the data directory.
    public static let postgresDirectory = "leopost.postgres.directory"
    /// The error that made the pool drop a PostgreSQL connection.
    public static let postgresError = "leopost.postgres.error"
    /// A PostgreSQL server notice's text.
    public static let postgresNotice = "leopost.postgres.notice"
    /// An embedded or left-over PostgreSQL's process id.
    public static let postgresPID = "leopost.postgres.pid"
    /// The embedded PostgreSQL's port.
    public static let postgresPort = "leopost.postgres.port"
    /// An embedded or left-over redis-server's process id.
    public static let redisPID = "leopost.redis.pid"
    /// A Redis server's address (`redis://host:port/db`), never its password.
    public static let redisURL = "leopost.redis.url"
    /// The gateway's id of one request, echoed in a 500 answer so it can be found here.
    public static let requestID = "leopost.request.id"
    /// The stage a worker runs (`router`, `delivery`, `publish`).
    public static let stage = "leopost.stage"
    /// How many pending entries were trimmed from a stream before they were handled (lost work to look into).
    public static let stageLost = "leopost.stage.lost"
    /// What became of a failed stage job (retried or dead-lettered).
    public static let stageOutcome = "leopost.stage.outcome"
    /// How many entries were taken over from a worker that stopped heartbeating.
    public static let stageReclaimed = "leopost.stage.reclaimed"
    /// How many jobs in hand a worker stopped because another worker may own them now.
    public static let stageStopped = "leopost.stage.stopped"
    /// A Telegram `update_id`.
    public static let telegramUpdate = "leopost.telegram.update"
    /// The tenant a request, a transaction or a job is for.
    public static let tenantID = "leopost.tenant.id"
}
