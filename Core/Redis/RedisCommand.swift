/// A value that can be sent as one argument of a Redis command.
public protocol RedisArgumentConvertible: Sendable {
    /// The argument's bytes as Redis receives them.
    var redisArgument: [UInt8] { get }
}

extension String: RedisArgumentConvertible {
    /// The UTF-8 bytes.
    public var redisArgument: [UInt8] { Array(utf8) }
}
extension Substring: RedisArgumentConvertible {
    /// The UTF-8 bytes.
    public var redisArgument: [UInt8] { Array(utf8) }
}
extension Int: RedisArgumentConvertible {
    /// Decimal text, as Redis expects numbers.
    public var redisArgument: [UInt8] { Array(String(self).utf8) }
}
extension Int64: RedisArgumentConvertible {
    /// Decimal text, as Redis expects numbers.
    public var redisArgument: [UInt8] { Array(String(self).utf8) }
}
extension Double: RedisArgumentConvertible {
    /// Decimal text, as Redis expects scores.
    public var redisArgument: [UInt8] { Array(String(self).utf8) }
}
extension Array: RedisArgumentConvertible where Element == UInt8 {
    /// The bytes unchanged (binary safe).
    public var redisArgument: [UInt8] { self }
}

/// One Redis command with its arguments, ready to send alone or in a pipeline.
///
/// ```swift
/// let command = RedisCommand("XADD", streamKey, "*", "payload", json)
/// ```
public struct RedisCommand: Sendable {
    /// The command name followed by its arguments, each as raw bytes.
    public var arguments: [[UInt8]]

    /// Creates a command from a name and arguments.
    public init(_ name: String, _ arguments: any RedisArgumentConvertible...) {
        self.init(name, arguments: arguments)
    }

    /// Creates a command from a name and an argument array built elsewhere.
    public init(_ name: String, arguments: [any RedisArgumentConvertible]) {
        self.arguments = [Array(name.utf8)] + arguments.map(\.redisArgument)
    }

    /// The command's name, for logs and metrics (never its arguments, which may hold data).
    public var name: String { String(decoding: arguments.first ?? [], as: UTF8.self) }
}

extension RedisCommand {
    /// Commands that may make Redis wait before it answers.
    private static let blockingNames: Set<String> = [
        "BLPOP", "BRPOP", "BRPOPLPUSH", "BLMOVE", "BLMPOP", "BZPOPMIN", "BZPOPMAX", "BZMPOP", "WAIT", "WAITAOF",
        "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "MONITOR",
    ]

    /// True when Redis may hold the reply back (a `BLOCK` read, a blocking pop, a subscription):
    /// such a command must not share a connection with others, whose replies would wait behind it.
    public var blocks: Bool {
        guard let first = arguments.first, first.count <= 10 else { return false }
        let name = String(decoding: first, as: UTF8.self).uppercased()
        if name == "XREAD" || name == "XREADGROUP" {
            return arguments.dropFirst().contains { $0.count == 5 && String(decoding: $0, as: UTF8.self).uppercased() == "BLOCK" }
        }
        return Self.blockingNames.contains(name)
    }
}

extension RedisCommand {
    /// How long Redis may hold this command's reply back on purpose (a `BLOCK` read's milliseconds,
    /// a blocking pop's seconds, `WAIT`'s milliseconds): a reply that late is not a stalled server.
    /// `nil` for commands that answer at once, and for a wait without end (`0`).
    public var blockTime: Duration? {
        guard blocks, let first = arguments.first else { return nil }
        let words = arguments.map { String(decoding: $0, as: UTF8.self) }
        let name = String(decoding: first, as: UTF8.self).uppercased()
        let milliseconds: Double?
        switch name {
        case "XREAD", "XREADGROUP":
            milliseconds = words.firstIndex { $0.uppercased() == "BLOCK" }.flatMap { words.indices.contains($0 + 1) ? Double(words[$0 + 1]) : nil }
        case "BLPOP", "BRPOP", "BRPOPLPUSH", "BLMOVE", "BZPOPMIN", "BZPOPMAX":
            milliseconds = words.last.flatMap(Double.init).map { $0 * 1000 }
        case "BLMPOP", "BZMPOP":
            milliseconds = words.count > 1 ? Double(words[1]).map { $0 * 1000 } : nil
        case "WAIT", "WAITAOF":
            milliseconds = words.last.flatMap(Double.init)
        default:
            milliseconds = nil
        }
        guard let milliseconds, milliseconds > 0 else { return nil }
        return .milliseconds(Int64(milliseconds.rounded(.up)))
    }
}
