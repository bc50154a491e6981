import Foundation
public import LeopostCore
public import Logging
public import ServiceLifecycle

/// Long polling (`getUpdates`) for Telegram connections made without a public address
/// (`LEOPOST_PUBLIC_URL` unset): local use, a laptop behind NAT. Updates are queued for the intake
/// stage like the webhook's, so a polled message is answered exactly like a pushed one.
///
/// The polled connections are a Redis set of connection handles (tenant and connection ids), so
/// any gateway finds them without reading across tenants. One process polls a bot at a time (a
/// Redis lock per connection, renewed on each poll): Telegram refuses two concurrent `getUpdates`
/// for one bot. The offset is kept in Redis and moves past an update only after it was queued,
/// so a crash between the two gets the update again (and its `update_id` keeps it from being
/// queued twice).
public final class TelegramPoller: Service, Sendable {
    /// Timing of the poll loops.
    public struct Configuration: Sendable {
        /// How long one `getUpdates` waits for updates (Telegram allows up to 50 s).
        public var pollTimeout: Duration
        /// How often the set of polled connections is read again.
        public var rescanInterval: Duration
        /// How long a poller's lock lasts without renewal (a crashed process's bot is taken over after it).
        public var lockLifetime: Duration
        /// The Redis hash tag of the poller's keys; another only to keep tests sharing one Redis apart.
        public var keyTag: String

        /// Creates a configuration; the defaults suit production.
        public init(
            pollTimeout: Duration = .seconds(25), rescanInterval: Duration = .seconds(5), lockLifetime: Duration = .seconds(60),
            keyTag: String = "lp:telegram"
        ) {
            self.pollTimeout = pollTimeout
            self.rescanInterval = rescanInterval
            self.lockLifetime = lockLifetime
            self.keyTag = keyTag
        }
    }

    private let redis: RedisClient
    private let connections: ChannelConnectionCache
    private let inbound: InboundQueue
    private let http: HTTPClient
    private let configuration: MessagingConfiguration
    private let timing: Configuration
    private let logger: Logger
    private let owner = UUID.random().uuidString

    /// Creates the poller.
    public init(
        redis: RedisClient, connections: ChannelConnectionCache, inbound: InboundQueue, http: HTTPClient, configuration: MessagingConfiguration,
        timing: Configuration = .init(), logger: Logger
    ) {
        self.redis = redis
        self.connections = connections
        self.inbound = inbound
        self.http = http
        self.configuration = configuration
        self.timing = timing
        self.logger = logger
    }

    private var pollingSet: String { "{\(timing.keyTag)}:polling" }
    private func offsetKey(_ handle: String) -> String { "{\(timing.keyTag)}:offset:\(handle)" }
    private func lockKey(_ handle: String) -> String { "{\(timing.keyTag)}:poller:\(handle)" }

    /// Adds `connection` to the polled ones.
    public func register(_ connection: ChannelConnection) async throws {
        _ = try await redis.send(RedisCommand("SADD", self.pollingSet, connection.handle)).throwingError()
    }

    /// Polls every registered connection until graceful shutdown, one task per connection.
    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            try await withThrowingDiscardingTaskGroup { group in
                var running: Set<String> = []
                while !Task.isCancelled {
                    let reply = try? await self.redis.send(RedisCommand("SMEMBERS", self.pollingSet))
                    for handle in (reply?.array ?? []).compactMap(\.string) where !running.contains(handle) {
                        running.insert(handle)
                        group.addTask { await self.poll(handle) }
                    }
                    try await Task.sleep(for: self.timing.rescanInterval)
                }
            }
        }
    }

    /// The poll loop of one connection; ends when the task is cancelled or the connection is gone.
    private func poll(_ handle: String) async {
        guard let (tenant, id) = ChannelConnection.parse(handle: handle) else { return }
        var delay = Duration.milliseconds(200)
        while !Task.isCancelled {
            do {
                guard try await holdLock(handle) else {
                    try await Task.sleep(for: timing.lockLifetime / 2)
                    continue
                }
                guard let connection = try await connections.connection(id, tenant: tenant) else {
                    _ = try await redis.send(RedisCommand("SREM", self.pollingSet, handle))
                    return
                }
                let api = TelegramBotAPI(
                    http: http, baseURL: configuration.telegramAPIBaseURL, token: connection.credentials["bot_token"] ?? "")
                let offset = Int64(try await redis.send(RedisCommand("GET", self.offsetKey(handle))).string ?? "") ?? 0
                let (updates, lastID) = try await api.getUpdates(offset: offset, timeout: timing.pollTimeout)
                for update in updates {
                    try await inbound.enqueue(
                        update, channel: TelegramChannel.kind, connection: connection, eventID: String(update.updateID), thread: update.thread)
                    _ = try await redis.send(RedisCommand("SET", self.offsetKey(handle), update.updateID + 1))
                }
                // Past the updates Leopost does not read too, which were skipped above.
                if let lastID { _ = try await redis.send(RedisCommand("SET", self.offsetKey(handle), lastID + 1)) }
                delay = .milliseconds(200)
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                logger.info("telegram polling failed; retrying", metadata: [LogKey.connectionID: "\(id)", LogKey.error: "\(error)"])
                let wait = (error as? ChannelError)?.retryAfter ?? delay
                try? await Task.sleep(for: wait)
                delay = min(delay * 2, .seconds(30))
            }
        }
    }

    /// Takes or renews this process's lock on polling `handle`; false when another process holds it.
    private func holdLock(_ handle: String) async throws -> Bool {
        let reply = try await redis.run(
            Self.lock, keys: [self.lockKey(handle)], arguments: [owner, Int(timing.lockLifetime.components.seconds * 1000)])
        return reply.int == 1
    }

    /// KEYS: the lock. ARGV: owner, lifetime ms. 1 when the owner holds it afterwards.
    static let lock = RedisScript(
        name: "telegram.poll-lock",
        source: """
            local holder = redis.call('GET', KEYS[1])
            if holder and holder ~= ARGV[1] then return 0 end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return 1
            """
    )
}
