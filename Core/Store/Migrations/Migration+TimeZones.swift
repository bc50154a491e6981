extension Migration {
    /// Where the tenant's business and each person are on the clock: IANA names (`Europe/Berlin`),
    /// `NULL` when not said (a person then has the tenant's, and a tenant UTC). The assistant reads
    /// times the person writes in their zone and shows times back in it.
    static let timeZones = Migration(
        version: 8,
        name: "time zones of tenants and people",
        sql: """
            ALTER TABLE tenants ADD COLUMN time_zone text CHECK (time_zone IS NULL OR length(time_zone) BETWEEN 1 AND 64);
            ALTER TABLE users ADD COLUMN time_zone text CHECK (time_zone IS NULL OR length(time_zone) BETWEEN 1 AND 64);
            """
    )
}
