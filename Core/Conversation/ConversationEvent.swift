/// One event of a conversation's live stream, as SSE clients receive it.
///
/// `id` is the Redis stream entry id (`<milliseconds>-<sequence>`): it orders events, and a client
/// that reconnects with it as `Last-Event-ID` gets exactly the events after it.
public struct ConversationEvent: Sendable, Equatable {
    /// The event names of DESIGN §4, plus the two the web chat also uses.
    public enum Kind: String, Sendable, CaseIterable {
        /// The person's message was stored (other tabs and devices show it).
        case messageReceived = "message.received"
        /// The next piece of an answer.
        case messageDelta = "message.delta"
        /// The answer is complete; its data holds the whole text.
        case messageCompleted = "message.completed"
        /// The answer failed; its data says why, for the person.
        case messageFailed = "message.failed"
        /// The assistant started a tool (drafting a post, looking up accounts); the page shows its label.
        case toolStarted = "tool.started"
        /// A tool finished, or failed (the model then fixes its call or tells the person).
        case toolFinished = "tool.finished"
        /// A draft post to look at before it is published.
        case postPreview = "post.preview"
        /// A post's publishing state changed.
        case postStatus = "post.status"
        /// Not stored: the server could not replay everything the client missed.
        case eventsMissed = "events.missed"
        /// Not stored: the stream is closed because its person opened more than they may hold.
        case eventsClosed = "events.closed"
    }

    /// The stream entry id; empty for the synthetic `events.missed` and `events.closed` notes.
    public var id: String
    /// What happened.
    public var kind: Kind
    /// The event's JSON object, as sent in `data:`.
    public var data: String

    /// Creates an event.
    public init(id: String, kind: Kind, data: String) {
        self.id = id
        self.kind = kind
        self.data = data
    }

    /// The event in Server-Sent Events framing: `id:`, `event:`, one `data:` line per line of data.
    public var serverSentEvent: String {
        var text = id.isEmpty ? "" : "id: \(id)\n"
        text += "event: \(kind.rawValue)\n"
        for line in data.split(separator: "\n", omittingEmptySubsequences: false) { text += "data: \(line)\n" }
        return text + "\n"
    }
}

/// A Redis stream entry id, ordered as Redis orders them.
public struct StreamEntryID: Sendable, Comparable, CustomStringConvertible {
    /// Milliseconds part.
    public let milliseconds: UInt64
    /// Sequence within the millisecond.
    public let sequence: UInt64

    /// Parses `<ms>-<seq>`; `nil` for anything else (a garbage `Last-Event-ID`).
    public init?(_ text: String) {
        let pieces = text.split(separator: "-", omittingEmptySubsequences: false)
        guard pieces.count == 2, let milliseconds = UInt64(pieces[0]), let sequence = UInt64(pieces[1]) else { return nil }
        self.milliseconds = milliseconds
        self.sequence = sequence
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.milliseconds, lhs.sequence) < (rhs.milliseconds, rhs.sequence)
    }

    public var description: String { "\(milliseconds)-\(sequence)" }
}
