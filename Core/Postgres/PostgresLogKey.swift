/// The metadata keys Core/Postgres logs with, in one place so the set stays closed and greppable.
enum PostgresLogKey {
    /// `host:port/database` of the server.
    static let address = "leopost.postgres.address"
    /// A server notice's text.
    static let notice = "leopost.postgres.notice"
    /// The error that made the pool drop a connection.
    static let error = "leopost.postgres.error"
    /// The tenant a tenant transaction runs for.
    static let tenantID = "leopost.tenant.id"
}
