/// Every `leopost.*` metadata key Leopost logs with, in one place: the set stays closed and
/// greppable, and a dashboard or a log query can rely on the names.
public enum LogKey {
    /// `leopost.budget.level`.
    public static let budgetLevel = "leopost.budget.level"
    /// `leopost.chain`.
    public static let chain = "leopost.chain"
    /// `leopost.channel`.
    public static let channel = "leopost.channel"
    /// `leopost.connection.id`.
    public static let connectionID = "leopost.connection.id"
    /// `leopost.error`.
    public static let error = "leopost.error"
    /// `leopost.failure`.
    public static let failure = "leopost.failure"
    /// `leopost.http.error`.
    public static let httpError = "leopost.http.error"
    /// `leopost.http.status`.
    public static let httpStatus = "leopost.http.status"
    /// `leopost.http.target`.
    public static let httpTarget = "leopost.http.target"
    /// `leopost.job.attempt`.
    public static let jobAttempt = "leopost.job.attempt"
    /// `leopost.job.id`.
    public static let jobID = "leopost.job.id"
    /// `leopost.message.id`.
    public static let messageID = "leopost.message.id"
    /// `leopost.migration.applied`.
    public static let migrationApplied = "leopost.migration.applied"
    /// `leopost.migration.name`.
    public static let migrationName = "leopost.migration.name"
    /// `leopost.migration.version`.
    public static let migrationVersion = "leopost.migration.version"
    /// `leopost.pieces`.
    public static let pieces = "leopost.pieces"
    /// `leopost.plugin`.
    public static let plugin = "leopost.plugin"
    /// `leopost.plugin.file`.
    public static let pluginFile = "leopost.plugin.file"
    /// `leopost.plugin.url`.
    public static let pluginURL = "leopost.plugin.url"
    /// `leopost.plugin.version`.
    public static let pluginVersion = "leopost.plugin.version"
    /// `leopost.pool.server`.
    public static let poolServer = "leopost.pool.server"
    /// `leopost.post.id`.
    public static let postID = "leopost.post.id"
    /// `leopost.postgres.address`.
    public static let postgresAddress = "leopost.postgres.address"
    /// `leopost.postgres.data`.
    public static let postgresData = "leopost.postgres.data"
    /// `leopost.postgres.directory`.
    public static let postgresDirectory = "leopost.postgres.directory"
    /// `leopost.postgres.error`.
    public static let postgresError = "leopost.postgres.error"
    /// `leopost.postgres.notice`.
    public static let postgresNotice = "leopost.postgres.notice"
    /// `leopost.postgres.pid`.
    public static let postgresPID = "leopost.postgres.pid"
    /// `leopost.postgres.port`.
    public static let postgresPort = "leopost.postgres.port"
    /// `leopost.redis.pid`.
    public static let redisPID = "leopost.redis.pid"
    /// `leopost.redis.url`.
    public static let redisURL = "leopost.redis.url"
    /// `leopost.request.id`.
    public static let requestID = "leopost.request.id"
    /// `leopost.stage`.
    public static let stage = "leopost.stage"
    /// `leopost.stage.lost`.
    public static let stageLost = "leopost.stage.lost"
    /// `leopost.stage.outcome`.
    public static let stageOutcome = "leopost.stage.outcome"
    /// `leopost.stage.reclaimed`.
    public static let stageReclaimed = "leopost.stage.reclaimed"
    /// `leopost.telegram.update`.
    public static let telegramUpdate = "leopost.telegram.update"
    /// `leopost.tenant.id`.
    public static let tenantID = "leopost.tenant.id"
}
