/// The statements one connection has prepared, by their text.
///
/// PostgreSQL parses, analyses and rewrites a statement sent with `PQexecParams` anew every
/// time; under row-level security the tenant policy is expanded into it. A statement prepared
/// once (`Parse` with a name, at the protocol level, so PgBouncer 1.21 and later can track it)
/// keeps that work, and each execution is only planned and run. Sessions run with
/// `plan_cache_mode = force_custom_plan`: a generic plan, which PostgreSQL would switch to after
/// five executions, is planned without the values and, under the tenant policy, chose to scan
/// all of a tenant's messages for `id = ANY($1)` (1.7 ms instead of 0.4 ms in the chat
/// benchmark). `pgbench` on the publish stage's statements (`make bench`) does about 1.5 times
/// as many jobs per second this way as unnamed, and 2.4 times with generic plans. Each
/// connection keeps its own cache, since prepared statements live in one server session.
///
/// The cache only grows up to ``capacity``: texts beyond it run unnamed, so a caller that builds
/// statement text dynamically cannot fill the server's memory. A name is never reused; a
/// statement the server lost or must re-plan with a new result type (its table changed) is
/// forgotten and prepared again under a new name on its next use.
struct PostgresStatementCache {
    /// The most statements kept prepared; 0 prepares nothing.
    let capacity: Int
    private var names: [String: String] = [:]
    private var issued = 0

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The prepared statement's name for `text`, if it has one.
    func name(of text: String) -> String? { names[text] }

    /// True when `text` has no prepared statement and there is room for one.
    func shouldPrepare(_ text: String) -> Bool { names[text] == nil && names.count < capacity }

    /// A name no statement of this connection has had.
    mutating func newName() -> String {
        issued += 1
        return "leopost_\(issued)"
    }

    /// Records that the server prepared `text` as `name`.
    mutating func prepared(_ text: String, as name: String) { names[text] = name }

    /// Forgets `text` when `error` says its prepared statement is gone (26000: another session
    /// state, after `DISCARD ALL`) or stale (0A000: "cached plan must not change result type").
    mutating func forget(_ text: String, after error: PostgresError) {
        if error.sqlState == "26000" || error.sqlState == "0A000" { names[text] = nil }
    }
}
