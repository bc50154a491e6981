public import Foundation

/// Each conversation's recent events in a Redis stream, so any gateway can serve them and a client
/// that reconnects gets exactly what it missed.
///
/// Publishing appends to the conversation's stream (trimmed by length, expiring when idle) and
/// announces the conversation id on one channel, in one script: every gateway's
/// `ConversationEventHub` hears of it and wakes the clients watching that conversation, which
/// then read the stream from their own last id. The stream is the truth; the announcement only
/// says when to look.
public struct ConversationEventLog: Sendable {
    /// How much history is kept.
    public struct Retention: Sendable {
        /// Events kept per conversation (approximately: Redis trims whole nodes).
        public var maxEvents: Int
        /// How long an idle conversation's events are kept.
        public var idleTime: Duration

        /// Creates a retention.
        public init(maxEvents: Int = 2_000, idleTime: Duration = .seconds(86_400)) {
            self.maxEvents = maxEvents
            self.idleTime = idleTime
        }
    }

    /// The channel every gateway listens on for "conversation X has new events".
    public static let announcementChannel = "lp:conversation-events"

    private let redis: RedisClient
    private let retention: Retention

    /// Creates a log over the shared Redis.
    public init(redis: RedisClient, retention: Retention = Retention()) {
        self.redis = redis
        self.retention = retention
    }

    /// The key of a conversation's stream; the hash tag keeps it on one Redis Cluster slot.
    public static func key(_ conversationID: UUID) -> String {
        "{lp:conv:\(conversationID.uuidString.lowercased())}:events"
    }

    /// Appends an event and announces it; returns the event with its id.
    @discardableResult
    public func publish(_ kind: ConversationEvent.Kind, data: String, conversation: UUID) async throws -> ConversationEvent {
        let reply = try await redis.run(
            Self.publishScript, keys: [Self.key(conversation)],
            arguments: [
                retention.maxEvents, kind.rawValue, data, Int(retention.idleTime.milliseconds), Self.announcementChannel,
                conversation.uuidString.lowercased(),
            ]
        )
        guard let id = reply.string else { throw RedisError(code: .unexpectedReply, message: "publishing an event returned \(reply)") }
        return ConversationEvent(id: id, kind: kind, data: data)
    }

    /// Encodes `payload` as the event's JSON data and publishes it.
    @discardableResult
    public func publish(_ kind: ConversationEvent.Kind, _ payload: some Encodable, conversation: UUID) async throws -> ConversationEvent {
        let data = String(decoding: try JSONCoding.encoder.encode(payload), as: UTF8.self)
        return try await publish(kind, data: data, conversation: conversation)
    }

    /// What a client gets when it (re)connects.
    public struct Replay: Sendable {
        /// The kept events after the client's last one, oldest first.
        public var events: [ConversationEvent]
        /// True when events the client never saw are no longer kept (or its last id made no sense):
        /// `events` is then everything kept, and the client should reload the history.
        public var missed: Bool
    }

    /// The events after `lastEventID` (`nil`: a first connection, which gets nothing old).
    ///
    /// A garbage id, or one older than what trimming or expiry removed, gets everything kept with
    /// `missed` set.
    public func replay(after lastEventID: String?, conversation: UUID, limit: Int = 1_000) async throws -> Replay {
        guard let lastEventID else { return Replay(events: [], missed: false) }
        let key = Self.key(conversation)
        guard let last = StreamEntryID(lastEventID) else {
            return Replay(events: try await read(key, after: nil, limit: limit), missed: true)
        }
        // A missing stream (expired while idle) has lost everything; otherwise Redis 7 remembers the
        // newest id that trimming removed.
        let info = try await redis.pipeline([RedisCommand("XINFO", "STREAM", key)])[0]
        let gone: Bool
        if case .error = info {
            gone = true
        } else {
            let fields = info.array ?? []
            let deleted = stride(from: 0, to: fields.count - 1, by: 2)
                .first { fields[$0].string == "max-deleted-entry-id" }
                .flatMap { fields[$0 + 1].string }
                .flatMap(StreamEntryID.init)
            gone = deleted.map { last < $0 } ?? false
        }
        return Replay(events: try await read(key, after: gone ? nil : last, limit: limit), missed: gone)
    }

    /// The events after `id` (all kept ones for `nil`), oldest first.
    public func events(after id: String?, conversation: UUID, limit: Int = 1_000) async throws -> [ConversationEvent] {
        try await read(Self.key(conversation), after: id.flatMap(StreamEntryID.init), limit: limit)
    }

    /// The id of the conversation's newest kept event; `nil` when it has none.
    public func tail(conversation: UUID) async throws -> String? {
        let reply = try await redis.send(RedisCommand("XREVRANGE", Self.key(conversation), "+", "-", "COUNT", 1))
        return StreamEntry.parseList(reply).first?.id
    }

    private func read(_ key: String, after id: StreamEntryID?, limit: Int) async throws -> [ConversationEvent] {
        let start = id.map { "(\($0)" } ?? "-"
        let reply = try await redis.send(RedisCommand("XRANGE", key, start, "+", "COUNT", limit))
        return StreamEntry.parseList(reply).compactMap { entry in
            guard let kind = entry.fields["type"].flatMap(ConversationEvent.Kind.init(rawValue:)), let data = entry.fields["data"] else { return nil }
            return ConversationEvent(id: entry.id, kind: kind, data: data)
        }
    }

    /// KEYS: the conversation's stream. ARGV: max events, type, data, idle ms, channel, conversation id.
    static let publishScript = RedisScript(
        name: "conversation.publish",
        source: """
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'type', ARGV[2], 'data', ARGV[3])
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            redis.call('PUBLISH', ARGV[5], ARGV[6])
            return id
            """
    )
}
