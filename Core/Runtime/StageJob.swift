import Foundation

/// One unit of work travelling through a stage's stream.
///
/// `id` is stable across retries, redeliveries and hand-backs: handlers use it as the
/// idempotency key of their effects (a reply delivered once, a row inserted once), which is what
/// turns the runtime's at-least-once delivery into exactly-once effects.
public struct StageJob: Sendable, Equatable, Codable {
    /// Stable identity of the job.
    public var id: String
    /// Jobs with the same ordering key (a conversation id) are handled one at a time, in order.
    public var orderingKey: String?
    /// Position within the ordering key; 0 when unordered.
    public var sequence: Int
    /// 1 on the first delivery, incremented by each retry.
    public var attempt: Int
    /// The job's data, usually JSON.
    public var payload: String

    /// Creates a job.
    public init(id: String, orderingKey: String?, sequence: Int, attempt: Int, payload: String) {
        self.id = id
        self.orderingKey = orderingKey
        self.sequence = sequence
        self.attempt = attempt
        self.payload = payload
    }

    /// Decodes `payload` as JSON.
    public func decodePayload<T: Decodable>(as type: T.Type) throws -> T {
        try JSONCoding.decoder.decode(T.self, from: Data(payload.utf8))
    }

    /// The job's fields as a stream entry stores them.
    var streamFields: [String] {
        ["id", id, "key", orderingKey ?? "", "seq", String(sequence), "attempt", String(attempt), "payload", payload]
    }

    /// The job as the JSON the Lua scripts decode (every value a string, for `cjson`).
    ///
    /// Written by hand: every script call of a job carries it (enqueue, admit, finish), and
    /// `JSONEncoder` spent more time on these five strings than Redis spent running the script.
    var scriptJSON: String {
        var json: [UInt8] = []
        json.reserveCapacity(payload.utf8.count + id.utf8.count + 64)
        for (index, (name, value)) in [
            ("attempt", String(attempt)), ("id", id), ("key", orderingKey ?? ""), ("payload", payload), ("seq", String(sequence)),
        ].enumerated() {
            json.append(index == 0 ? UInt8(ascii: "{") : UInt8(ascii: ","))
            JSONCoding.appendString(name, to: &json)
            json.append(UInt8(ascii: ":"))
            JSONCoding.appendString(value, to: &json)
        }
        json.append(UInt8(ascii: "}"))
        return String(decoding: json, as: UTF8.self)
    }

    /// The job as the scheduler keeps it: the five stream fields joined by U+001F, which JSON
    /// never holds raw (it escapes control characters), so the promote script splits it with one
    /// pattern instead of decoding JSON for every job.
    var scheduledForm: String {
        [id, orderingKey ?? "", String(sequence), String(attempt), payload].joined(separator: "\u{1F}")
    }

    /// Reads a job back from a stream entry's field list.
    init?(fields: [String: String]) {
        guard let id = fields["id"], !id.isEmpty, let sequence = fields["seq"].flatMap({ Int($0) }),
            let attempt = fields["attempt"].flatMap({ Int($0) }), let payload = fields["payload"]
        else { return nil }
        let key = fields["key"] ?? ""
        self.init(id: id, orderingKey: key.isEmpty ? nil : key, sequence: sequence, attempt: attempt, payload: payload)
    }
}
