public import Foundation
public import LeopostCore
public import Logging

/// One event a channel's webhook or poller took, as it waits in the intake stage: the connection it
/// came through and the channel's own event (a Telegram update, a WhatsApp message), already
/// authenticated and decoded. ``InboundQueue`` writes it; the channel's handler reads it.
///
/// The channel's event is queued rather than a normalized `InboundMessage` because not every event
/// is a message (a button press, a reaction, a delivery status), and because the intake stage
/// normalizes it with the code of the version that runs it: a fix there applies to what is queued.
struct InboundEvent<Event: Decodable & Sendable>: Decodable, Sendable {
    /// The channel (`telegram`, `whatsapp`).
    var channel: String
    /// The connection's tenant.
    var tenant: UUID
    /// The connection it came through.
    var connection: UUID
    /// The channel's own event.
    var event: Event
}

/// The part of an ``InboundEvent`` the intake stage reads before it knows the channel.
struct InboundEventHeader: Decodable, Sendable {
    var channel: String
    var tenant: UUID
    var connection: UUID
}

/// A channel's handling of the events its webhook or poller queued: what the webhook did before
/// the intake stage existed, now behind the queue (sender lookup, link flow, storing, the router's job).
///
/// The stage runs it at least once per event, so it must be idempotent: messages are stored once
/// by their channel id, Leopost's replies are queued under keys made from that id.
public protocol InboundEventHandling: Sendable {
    /// The channel whose events this handles.
    var channel: String { get }

    /// Handles one queued event (the JSON of an ``InboundEvent`` of this channel) from `connection`.
    /// Throwing retries the event; `StageFailure.permanent` dead-letters it.
    func handle(_ payload: Data, connection: ChannelConnection, logger: Logger) async throws
}

extension InboundEventHandling {
    /// The channel's event in `payload`, or a permanent failure naming what is wrong with it.
    func event<Event: Decodable & Sendable>(_ type: Event.Type, in payload: Data) throws -> Event {
        do {
            return try JSONCoding.decoder.decode(InboundEvent<Event>.self, from: payload).event
        } catch {
            throw StageFailure.permanent("the queued \(channel) event cannot be read: \(error)")
        }
    }
}
