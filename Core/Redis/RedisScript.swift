/// A Lua script run atomically by Redis, sent by SHA once loaded.
///
/// The client loads the source with `SCRIPT LOAD` on first use and calls `EVALSHA` after that;
/// when Redis answers `NOSCRIPT` (it restarted or its script cache was flushed) the client loads
/// it again and repeats the call, so a restart never breaks a stage.
public struct RedisScript: Sendable, Hashable {
    /// The Lua source.
    public let source: String
    /// A short name for logs and errors.
    public let name: String

    /// Creates a script.
    public init(name: String, source: String) {
        self.name = name
        self.source = source
    }
}
