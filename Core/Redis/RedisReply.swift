/// One reply from Redis, copied out of hiredis's `redisReply` so the C memory can be freed at once.
public enum RedisReply: Sendable, Equatable {
    /// A bulk string (binary safe).
    case bulk([UInt8])
    /// A simple status such as `OK` or `QUEUED`.
    case status(String)
    /// An integer reply.
    case integer(Int64)
    /// An array of replies (XREADGROUP, EXEC, Lua tables).
    case array([RedisReply])
    /// The null bulk or null array.
    case null
    /// An error reply; in a pipeline each command keeps its own error instead of failing the batch.
    case error(String)

    /// The reply as text: bulk strings decoded as UTF-8, status text, integers in decimal.
    public var string: String? {
        switch self {
        case .bulk(let bytes): String(decoding: bytes, as: UTF8.self)
        case .status(let text): text
        case .integer(let value): String(value)
        default: nil
        }
    }

    /// The reply as an integer: integer replies and bulk strings holding a decimal number.
    public var int: Int? {
        switch self {
        case .integer(let value): Int(value)
        case .bulk, .status: string.flatMap { Int($0) }
        default: nil
        }
    }

    /// The elements of an array reply; `nil` for anything else.
    public var array: [RedisReply]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// True for the null reply.
    public var isNull: Bool { self == .null }

    /// Throws `RedisError.server` (or `.noScript`) when this is an error reply; returns self otherwise.
    @discardableResult
    public func throwingError() throws -> RedisReply {
        if case .error(let text) = self { throw RedisError.serverReply(text) }
        return self
    }

    var kindName: String {
        switch self {
        case .bulk: "bulk string"
        case .status: "status"
        case .integer: "integer"
        case .array: "array"
        case .null: "null"
        case .error(let text): "error \(text)"
        }
    }
}
