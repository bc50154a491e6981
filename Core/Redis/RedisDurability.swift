import Foundation

/// What a Redis server promises to keep, read at start-up: the stages' queues, idempotency keys
/// and ordering counters live only there, so a server that may evict keys or lose its data on a
/// restart breaks "accepted means it will be done" without any error.
public struct RedisDurability: Sendable, Equatable {
    /// `aof_enabled` from `INFO persistence`.
    public var appendOnly: Bool
    /// `appendfsync` when `CONFIG GET` is allowed (managed servers often rename it); `nil` otherwise.
    public var appendFsync: String?
    /// `maxmemory_policy` from `INFO memory`.
    public var maxMemoryPolicy: String

    /// Creates a reading.
    public init(appendOnly: Bool, appendFsync: String?, maxMemoryPolicy: String) {
        self.appendOnly = appendOnly
        self.appendFsync = appendFsync
        self.maxMemoryPolicy = maxMemoryPolicy
    }

    /// Reads the server's settings; `INFO` works where `CONFIG` is disabled.
    public static func read(from redis: RedisClient) async throws -> RedisDurability {
        let info = try await redis.send(RedisCommand("INFO", "persistence")).throwingError().string ?? ""
        let memory = try await redis.send(RedisCommand("INFO", "memory")).throwingError().string ?? ""
        let fsync = try? await redis.send(RedisCommand("CONFIG", "GET", "appendfsync")).throwingError().array?.last?.string
        return RedisDurability(
            appendOnly: field("aof_enabled", in: info) == "1", appendFsync: fsync, maxMemoryPolicy: field("maxmemory_policy", in: memory) ?? "")
    }

    /// What breaks the promise, each in words an operator can act on; empty when nothing does.
    /// An `everysec` fsync is not listed: it loses at most a second of writes on a machine crash
    /// (not on a Redis restart), which the `sweeper` covers for stored chat messages.
    public var problems: [String] {
        var problems: [String] = []
        if !appendOnly {
            problems.append(
                "the append-only file is off (appendonly no): a Redis restart loses every queued job and accepted webhook since the last snapshot; set appendonly yes"
            )
        }
        if maxMemoryPolicy != "noeviction" {
            problems.append(
                "maxmemory-policy is \(maxMemoryPolicy.isEmpty ? "unknown" : maxMemoryPolicy): under memory pressure Redis would silently drop queued jobs and idempotency keys; set maxmemory-policy noeviction"
            )
        }
        if appendFsync == "no" {
            problems.append("appendfsync is no: the operating system decides when queued jobs reach the disk; set appendfsync everysec or always")
        }
        return problems
    }

    private static func field(_ name: String, in info: String) -> String? {
        for line in info.split(whereSeparator: \.isNewline) where line.hasPrefix(name + ":") {
            return String(line.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }
}
