import Foundation

/// Everything Leopost reads from its environment, read once at start-up.
///
/// Tests build one from a dictionary instead of the process environment, so they never
/// change global state. Every bad value is refused with the variable's name.
public struct LeopostConfiguration: Sendable {
    /// Where the HTTP gateway listens.
    public struct Address: Sendable, Equatable, CustomStringConvertible {
        /// Host or IP address to bind.
        public var host: String
        /// TCP port (0 picks a free one).
        public var port: Int
        public var description: String { "\(host):\(port)" }
    }

    /// `LEOPOST_REDIS_URL`; `nil` means start an embedded redis-server.
    public var redisURL: RedisURL?
    /// `LEOPOST_DATABASE_URL`; `nil` means start an embedded PostgreSQL.
    public var databaseURL: String?
    /// `LEOPOST_HTTP_ADDR`, default `127.0.0.1:8080`.
    public var httpAddress: Address
    /// `LEOPOST_DATA_DIR`, default `./.leopost` (made absolute): embedded servers' data and generated secrets.
    public var dataDirectory: String
    /// `LEOPOST_MASTER_KEY` (64 hex characters); generated into the data directory when absent.
    public var masterKeyHex: String?
    /// `LEOPOST_JWT_SECRET` (at least 32 characters); generated into the data directory when absent.
    public var jwtSecret: String?
    /// `LEOPOST_PLUGIN_DIR`: where platform plugins are loaded from.
    public var pluginDirectory: String?
    /// `LEOPOST_PLATFORM_<NAME>_BASE_URL`: where a platform's API is, instead of its manifest's
    /// address (a proxy, or a local fake in tests), by plugin name in lower case.
    public var platformBaseURLs: [String: String]
    /// `LEOPOST_JWT_MAX_LIFETIME_HOURS`, default 720 (30 days): chat tokens valid for longer are
    /// refused, whoever signed them, so a leaked one is not good for ever.
    public var tokenMaxLifetime: Duration
    /// `LEOPOST_MAX_EVENT_STREAMS`, default 20: how many event streams one person may hold open; a
    /// new one closes the oldest (a forgotten tab, or a script, cannot hold the gateway's memory).
    public var maxEventStreamsPerPerson: Int
    /// `LEOPOST_EGRESS_ALLOW`: private targets (`address:port` or CIDR blocks) that tenants' URLs
    /// may reach anyway, for local fakes in tests or an on-premises model server.
    public var egressAllowances: [EgressAllowance]
    /// `LEOPOST_MAX_BODY_BYTES`, default 1 MiB: larger request bodies get 413.
    public var maxBodyBytes: Int
    /// `LEOPOST_MEDIA_S3_*`: an S3-compatible bucket for the photos people send, for workers on
    /// several machines; `nil`: they stay in the data directory's `media/`.
    public var mediaS3: S3MediaStore.Configuration?
    /// `LEOPOST_LOG_LEVEL`, default `info`.
    public var logLevel: String
    /// `LEOPOST_PLUGIN_HTTP_TIMEOUT`, default 30 (seconds): how long one platform call of a plugin
    /// may take when the plugin does not say. The publish stage waits twice this plus 15 s before it
    /// treats a target left `publishing` as abandoned.
    public var pluginHTTPTimeout: Duration
    /// `LEOPOST_REDIS_ALLOW_VOLATILE=1`: start even when a Redis of the operator's loses data on a
    /// restart (append-only file off) or evicts keys (`maxmemory-policy` other than `noeviction`),
    /// with a warning; by default such a Redis is refused at start-up.
    public var allowVolatileRedis: Bool
    /// How long a job may stay with a worker that stopped heartbeating before another worker takes
    /// it over (`LEOPOST_STAGE_VISIBILITY_TIMEOUT`, seconds): the time a crashed worker's job waits.
    public var stageVisibilityTimeout: Duration
    /// How long a Redis reply may take before the call fails: a quarter of the visibility timeout,
    /// at most 5 s. A worker whose Redis stalls must notice (and fail its heartbeat, and stop its
    /// jobs) well before another worker may take those jobs over.
    public var redisCommandTimeout: Duration { min(.seconds(5), stageVisibilityTimeout / 4) }

    /// Reads the configuration from environment variables.
    /// - Throws: `ConfigurationError` naming the first bad variable.
    public init(environment: [String: String]) throws {
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        if let text = value("LEOPOST_REDIS_URL") {
            do { redisURL = try RedisURL(text) } catch let error as RedisError {
                throw ConfigurationError(variable: "LEOPOST_REDIS_URL", message: error.message)
            }
        }
        if let text = value("LEOPOST_DATABASE_URL") {
            guard text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") else {
                throw ConfigurationError(variable: "LEOPOST_DATABASE_URL", message: "expected postgres://user[:password]@host[:port]/database")
            }
            databaseURL = text
        }
        httpAddress = try Self.address(value("LEOPOST_HTTP_ADDR") ?? "127.0.0.1:8080")
        // Absolute from here on: PostgreSQL changes into its data directory, so a relative socket
        // or data path would no longer point where Leopost put it.
        dataDirectory =
            URL(
                fileURLWithPath: value("LEOPOST_DATA_DIR") ?? ".leopost",
                relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
            ).standardizedFileURL.path
        if let key = value("LEOPOST_MASTER_KEY") {
            guard key.count == 64, key.allSatisfy(\.isHexDigit) else {
                throw ConfigurationError(
                    variable: "LEOPOST_MASTER_KEY", message: "expected 64 hexadecimal characters (32 bytes), e.g. from `openssl rand -hex 32`")
            }
            masterKeyHex = key
        }
        if let secret = value("LEOPOST_JWT_SECRET") {
            guard secret.utf8.count >= 32 else {
                throw ConfigurationError(variable: "LEOPOST_JWT_SECRET", message: "must be at least 32 characters so tokens cannot be guessed")
            }
            jwtSecret = secret
        }
        pluginDirectory = value("LEOPOST_PLUGIN_DIR")
        if let directory = pluginDirectory {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ConfigurationError(variable: "LEOPOST_PLUGIN_DIR", message: "\(directory) is not a directory")
            }
        }
        platformBaseURLs = [:]
        for (name, url) in environment where name.hasPrefix("LEOPOST_PLATFORM_") && name.hasSuffix("_BASE_URL") {
            let platform = name.dropFirst("LEOPOST_PLATFORM_".count).dropLast("_BASE_URL".count).lowercased()
            guard !platform.isEmpty, PluginOrigin(url: url) != nil else {
                throw ConfigurationError(variable: name, message: "expected LEOPOST_PLATFORM_<NAME>_BASE_URL=http(s)://host[:port]")
            }
            platformBaseURLs[platform] = url
        }
        if let text = value("LEOPOST_JWT_MAX_LIFETIME_HOURS") {
            guard let hours = Int(text), (1...8760).contains(hours) else {
                throw ConfigurationError(variable: "LEOPOST_JWT_MAX_LIFETIME_HOURS", message: "expected a number of hours from 1 to 8760")
            }
            tokenMaxLifetime = .seconds(hours * 3600)
        } else {
            tokenMaxLifetime = .seconds(720 * 3600)
        }
        if let text = value("LEOPOST_MAX_EVENT_STREAMS") {
            guard let count = Int(text), (1...100_000).contains(count) else {
                throw ConfigurationError(variable: "LEOPOST_MAX_EVENT_STREAMS", message: "expected a number from 1 to 100000")
            }
            maxEventStreamsPerPerson = count
        } else {
            maxEventStreamsPerPerson = 20
        }
        egressAllowances = try EgressAllowance.list(value("LEOPOST_EGRESS_ALLOW") ?? "", variable: "LEOPOST_EGRESS_ALLOW")
        mediaS3 = try S3MediaStore.Configuration.from(value)
        if let text = value("LEOPOST_MAX_BODY_BYTES") {
            guard let bytes = Int(text), bytes >= 1024, bytes <= 1 << 30 else {
                throw ConfigurationError(variable: "LEOPOST_MAX_BODY_BYTES", message: "expected a number of bytes from 1024 to 1073741824")
            }
            maxBodyBytes = bytes
        } else {
            maxBodyBytes = 1 << 20
        }
        if let text = value("LEOPOST_STAGE_VISIBILITY_TIMEOUT") {
            guard let seconds = Int(text), (1...3600).contains(seconds) else {
                throw ConfigurationError(variable: "LEOPOST_STAGE_VISIBILITY_TIMEOUT", message: "expected a number of seconds from 1 to 3600")
            }
            stageVisibilityTimeout = .seconds(seconds)
        } else {
            stageVisibilityTimeout = .seconds(30)
        }
        if let text = value("LEOPOST_PLUGIN_HTTP_TIMEOUT") {
            guard let seconds = Int(text), (1...600).contains(seconds) else {
                throw ConfigurationError(variable: "LEOPOST_PLUGIN_HTTP_TIMEOUT", message: "expected a number of seconds from 1 to 600")
            }
            pluginHTTPTimeout = .seconds(seconds)
        } else {
            pluginHTTPTimeout = .seconds(30)
        }
        allowVolatileRedis = ["1", "true", "yes"].contains(value("LEOPOST_REDIS_ALLOW_VOLATILE")?.lowercased() ?? "")
        logLevel = value("LEOPOST_LOG_LEVEL") ?? "info"
        guard ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(logLevel) else {
            throw ConfigurationError(variable: "LEOPOST_LOG_LEVEL", message: "expected one of trace, debug, info, notice, warning, error, critical")
        }
    }

    private static func address(_ text: String) throws -> Address {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ConfigurationError(variable: "LEOPOST_HTTP_ADDR", message: "expected host:port, e.g. 127.0.0.1:8080")
        }
        let host = String(text[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        guard !host.isEmpty else {
            throw ConfigurationError(variable: "LEOPOST_HTTP_ADDR", message: "the host is missing; expected host:port, e.g. 127.0.0.1:8080")
        }
        return Address(host: host, port: port)
    }
}
