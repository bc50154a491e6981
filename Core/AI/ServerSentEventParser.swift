/// One event of a `text/event-stream` body.
public struct ServerSentEvent: Sendable, Equatable {
    /// The `event:` field; `message` when absent, as the spec says.
    public var event: String
    /// The `data:` lines joined with newlines.
    public var data: String
    /// The `id:` field, when present.
    public var id: String?

    /// Creates an event.
    public init(event: String = "message", data: String, id: String? = nil) {
        self.event = event
        self.data = data
        self.id = id
    }
}

/// A byte-fed parser for server-sent events (WHATWG HTML §9.2), as AI providers stream them.
///
/// A pure value: feed it chunks exactly as the network delivers them (split anywhere, even inside a
/// UTF-8 character or between `\r` and `\n`) and it returns the events completed so far.
public struct ServerSentEventParser: Sendable {
    private var line: [UInt8] = []
    private var lastWasCR = false
    private var event = ""
    private var data: [String] = []
    private var hasData = false
    private var id: String?
    private var eventBytes = 0
    /// The longest line accepted; a stream that sends more without a newline is not SSE.
    public let maxLineBytes: Int
    /// The largest event accepted, its `data:` lines together: a stream of data lines that never
    /// ends its event must not grow without bound.
    public let maxEventBytes: Int

    /// Creates a parser.
    public init(maxLineBytes: Int = 1 << 20, maxEventBytes: Int = 1 << 20) {
        self.maxLineBytes = maxLineBytes
        self.maxEventBytes = maxEventBytes
    }

    /// Thrown when a line exceeds `maxLineBytes`, or an event `maxEventBytes`.
    public struct LineTooLong: Error, Sendable {}

    /// Consumes a chunk and returns the events it completed.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if lastWasCR {
                lastWasCR = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            switch byte {
            case UInt8(ascii: "\n"):
                if let event = try endLine() { events.append(event) }
            case UInt8(ascii: "\r"):
                lastWasCR = true
                if let event = try endLine() { events.append(event) }
            default:
                line.append(byte)
                if line.count > maxLineBytes { throw LineTooLong() }
            }
        }
        return events
    }

    /// Ends the stream: an event without its blank line is dropped, as the spec says.
    public mutating func finish() {
        line = []
        resetEvent()
    }

    private mutating func endLine() throws(LineTooLong) -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty {
            defer { resetEvent() }
            guard hasData else { return nil }
            return ServerSentEvent(event: event.isEmpty ? "message" : event, data: data.joined(separator: "\n"), id: id)
        }
        if line.first == UInt8(ascii: ":") { return nil }  // a comment (often a keep-alive)
        var text = String(decoding: line, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let field: Substring
        var value: Substring
        if let colon = text.firstIndex(of: ":") {
            field = text[..<colon]
            value = text[text.index(after: colon)...]
            if value.first == " " { value = value.dropFirst() }
        } else {
            field = Substring(text)
            value = ""
        }
        switch field {
        case "event": event = String(value)
        case "data":
            eventBytes += value.utf8.count + 1
            guard eventBytes <= maxEventBytes else { throw LineTooLong() }
            data.append(String(value))
            hasData = true
        case "id": if !value.contains("\0") { id = String(value) }
        default: break  // `retry` and unknown fields are ignored
        }
        return nil
    }

    private mutating func resetEvent() {
        event = ""
        data = []
        hasData = false
        eventBytes = 0
    }
}
