/// One bound parameter as it travels to the server: SQL NULL, text, or raw bytes.
///
/// Everything but `bytea` goes as text (parameter format 0) and the server infers the type from the
/// statement, so write explicit casts where it cannot guess: `WHERE id = $1::uuid`.
public enum PostgresValue: Sendable, Hashable {
    /// SQL NULL.
    case null
    /// A value in PostgreSQL's text input format (`42`, `t`, `2026-11-25 17:34:42.123456+00`).
    case text(String)
    /// Raw bytes for a `bytea` parameter, sent in binary format so zero bytes survive.
    case bytea([UInt8])
}
