/// One step of the database schema, compiled into the binary so a deployed `leopost` always
/// carries exactly the schema it was built for.
///
/// Versions only grow; a shipped migration is never edited (add a new one instead), because
/// databases that already applied it would not see the change.
public struct Migration: Sendable {
    /// Order of application; unique.
    public let version: Int
    /// A short description, stored beside the version.
    public let name: String
    /// The SQL script, run in one transaction.
    public let sql: String

    /// Creates a migration.
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// Every migration Leopost ships, in order.
    public static let all: [Migration] = [
        .initialSchema,
        .tenantIsolation,
        .usageDetails,
        .conversations,
        .tenantSecrets,
        .deliveries,
        .publishing,
        .timeZones,
        .sweeper,
        .deliveryOutcomes,
        .postSweeper,
    ]
}
