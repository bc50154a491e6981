import Foundation
public import LeopostCore

/// Where a channel's webhook or poller puts what it took: the intake stage's stream, once per
/// channel event id.
///
/// One script call does the whole job of a webhook once it has verified the request: it checks the
/// event id against the ones seen in the last day (the platforms redeliver until they get a 2xx),
/// adds the event to the stream (durable in Redis when it returns), and numbers it within its
/// thread so the thread's messages are stored in the order they came.
public struct InboundQueue: Sendable {
    private let queue: StageQueue

    /// Creates the queue; `stage` other than ``IntakeStage/stage`` only to keep tests apart.
    public init(redis: RedisClient, stage: String = IntakeStage.stage) {
        queue = StageQueue(stage: stage, redis: redis)
    }

    /// Queues `event` from `connection`.
    /// - Parameters:
    ///   - eventID: the channel's id of the event (an `update_id`, a message id); a second event
    ///     with the same id from the same connection within a day is not queued again.
    ///   - thread: the chat or sender the event belongs to, which orders it; `nil` for events
    ///     whose order does not matter (delivery statuses).
    /// - Returns: false when the event had been queued before.
    @discardableResult
    func enqueue<Event: Codable & Sendable>(
        _ event: Event, channel: String, connection: ChannelConnection, eventID: String, thread: String?
    ) async throws -> Bool {
        let json = String(decoding: try JSONCoding.encoder.encode(event), as: UTF8.self)
        return try await enqueue(json: json, channel: channel, connection: connection, eventID: eventID, thread: thread)
    }

    /// Queues an event given as the JSON its channel sent, already decoded once to check it (a
    /// Telegram update): embedded as it came, so the webhook does not encode it again.
    /// - Precondition: `json` is one valid JSON value.
    @discardableResult
    func enqueue(json: String, channel: String, connection: ChannelConnection, eventID: String, thread: String?) async throws -> Bool {
        // The envelope's other values are a channel name and two UUIDs: nothing in them needs escaping.
        let tenant = connection.tenantID.description
        let id = connection.id.uuidString.lowercased()
        let payload = #"{"channel":"\#(channel)","connection":"\#(id)","tenant":"\#(tenant)","event":\#(json)}"#
        let prefix = "\(channel):\(id)"
        return try await queue.enqueue(payload, orderingKey: thread.map { "\(prefix):\($0)" }, idempotencyKey: "\(prefix):\(eventID)").added
    }
}
