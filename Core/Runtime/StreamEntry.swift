/// One entry of a Redis stream as XREADGROUP, XRANGE and XAUTOCLAIM return it.
struct StreamEntry: Sendable, Equatable {
    /// The entry id (`1700000000000-0`).
    var id: String
    /// Field/value pairs; a deleted entry (trimmed while pending) has none.
    var fields: [String: String]
    /// How many times the group delivered it (known for reclaimed entries only).
    var deliveries = 1

    /// Parses `[[id, [field, value, ...]], ...]`.
    static func parseList(_ reply: RedisReply) -> [StreamEntry] {
        (reply.array ?? []).compactMap { element in
            guard let pair = element.array, pair.count == 2, let id = pair[0].string else { return nil }
            var fields: [String: String] = [:]
            let flat = pair[1].array ?? []
            var index = 0
            while index + 1 < flat.count {
                if let name = flat[index].string { fields[name] = flat[index + 1].string ?? "" }
                index += 2
            }
            return StreamEntry(id: id, fields: fields)
        }
    }

    /// Parses XREADGROUP's `[[stream, entries]]` (or null when the block timed out).
    static func parseRead(_ reply: RedisReply) -> [StreamEntry] {
        guard let streams = reply.array else { return [] }
        return streams.flatMap { stream -> [StreamEntry] in
            guard let pair = stream.array, pair.count == 2 else { return [] }
            return parseList(pair[1])
        }
    }
}
