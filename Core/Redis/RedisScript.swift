/// A Lua script run atomically by Redis, sent by SHA.
///
/// The client calls `EVALSHA` with the SHA-1 of the source, which is how Redis names a loaded
/// script; when Redis answers `NOSCRIPT` (first use, a restart, a flushed script cache) the client
/// loads the source and repeats the call in the same round trip, so a restart never breaks a stage.
public struct RedisScript: Sendable, Hashable {
    /// The Lua source.
    public let source: String
    /// A short name for logs and errors.
    public let name: String
    /// The SHA-1 of the source, in hex: the script's name in Redis.
    let sha: String

    /// Creates a script.
    public init(name: String, source: String) {
        self.name = name
        self.source = source
        self.sha = SHA1.hexDigest(Array(source.utf8))
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.sha == rhs.sha && lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(sha) }
}
