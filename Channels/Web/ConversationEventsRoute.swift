import Foundation
import HTTPTypes
public import Hummingbird
public import LeopostCore
import NIOCore

/// `GET /v1/conversations/{id}/events`: the conversation's events as Server-Sent Events.
///
/// Every event carries its stream id as `id:`; a client reconnecting with `Last-Event-ID` gets
/// exactly the events after it, from whichever gateway it reaches. A `Last-Event-ID` that is
/// garbage or older than what is kept gets everything kept, after an `events.missed` note (without
/// an id, so the client's position is not reset). New events are read from the stream when the
/// process's `ConversationEventHub` wakes the route; its heartbeats become `: heartbeat` comments
/// that keep proxies from closing an idle stream. A person holds at most the hub's
/// `maxStreamsPerHolder` streams: a new one closes their oldest with an `events.closed` note. A
/// browser's EventSource cannot send headers, so the token may come as `?access_token=` (see
/// `TenantAuthenticator`).
public struct ConversationEventsRoute: Sendable {
    private let chat: WebChatRoutes
    private let events: ConversationEventLog
    private let hub: ConversationEventHub

    static let lastEventID = HTTPField.Name("Last-Event-ID")!
    /// Tells nginx-style proxies not to buffer the stream.
    static let accelBuffering = HTTPField.Name("X-Accel-Buffering")!

    /// Creates the route.
    public init(chat: WebChatRoutes, events: ConversationEventLog, hub: ConversationEventHub) {
        self.chat = chat
        self.events = events
        self.hub = hub
    }

    /// The routes, relative to `/v1`, mounted behind the tenant authenticator.
    public var routes: RouteCollection<GatewayContext> {
        let routes = RouteCollection(context: GatewayContext.self)
        routes.get("conversations/:id/events") { request, context -> Response in
            let (identity, conversation, viewer) = try await chat.visibleConversation(context)
            let lastEventID = request.headers[Self.lastEventID] ?? request.uri.queryParameters.get("last_event_id")
            // A new client starts at the stream's end as it was *before* it watches, and the stream
            // reads once more right after watching: an event published in between is sent, never skipped.
            let tail = lastEventID == nil ? try await events.tail(conversation: conversation.id) : nil
            let signals = hub.signals(for: conversation.id, holder: viewer.map { "\(identity.tenantID):\($0)" })
            let replay = try await events.replay(after: lastEventID, conversation: conversation.id)
            let start: String? =
                if let last = replay.events.last?.id { last } else if lastEventID == nil { tail } else if replay.missed {
                    try await events.tail(conversation: conversation.id)
                } else { lastEventID }
            let stream = EventStream(events: events, conversation: conversation.id, signals: signals, replay: replay, start: start)
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream", .cacheControl: "no-cache", Self.accelBuffering: "no"],
                body: ResponseBody { writer in try await stream.write(to: &writer) }
            )
        }
        return routes
    }

    /// One client's stream: the replay, then new events as the hub signals them.
    struct EventStream: Sendable {
        let events: ConversationEventLog
        let conversation: UUID
        let signals: AsyncStream<ConversationEventHub.Signal>
        let replay: ConversationEventLog.Replay
        let start: String?

        func write(to writer: inout any ResponseBodyWriter) async throws {
            var text = "retry: 2000\n\n"  // how long the browser waits before reconnecting
            if replay.missed {
                let note = ConversationEvent(
                    id: "", kind: .eventsMissed,
                    data: #"{"message":"some events are no longer kept; reload the conversation's history"}"#
                )
                text += note.serverSentEvent
            }
            text += replay.events.map(\.serverSentEvent).joined()
            var last = start
            // What was published between the replay (or the tail) and the watch.
            let caughtUp = try await events.events(after: last, conversation: conversation)
            if let newest = caughtUp.last {
                last = newest.id
                text += caughtUp.map(\.serverSentEvent).joined()
            }
            try await writer.write(ByteBuffer(string: text))
            for await signal in signals {
                if signal == .superseded {
                    let note = ConversationEvent(
                        id: "", kind: .eventsClosed,
                        data:
                            #"{"message":"this stream was closed because you opened more streams than one person may hold; reload to follow this conversation here"}"#
                    )
                    try await writer.write(ByteBuffer(string: note.serverSentEvent))
                    break
                }
                let new = try await events.events(after: last, conversation: conversation)
                if let newest = new.last {
                    last = newest.id
                    try await writer.write(ByteBuffer(string: new.map(\.serverSentEvent).joined()))
                } else if signal == .heartbeat {
                    try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                }
            }
            try await writer.finish(nil)
        }
    }
}
