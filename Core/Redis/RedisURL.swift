import Foundation

/// Where a Redis server is and how to log in: parsed from `redis://[[user]:password@]host[:port][/db]`.
///
/// Parsed once at start-up so a typo in `LEOPOST_REDIS_URL` fails before anything runs, with a
/// message that shows the expected shape and never the password.
public struct RedisURL: Sendable, Equatable, CustomStringConvertible {
    /// Host name or address.
    public var host: String
    /// TCP port, 6379 unless given.
    public var port: Int
    /// ACL user name, when the URL names one.
    public var username: String?
    /// Password for `AUTH`, when the URL has one.
    public var password: String?
    /// Logical database selected after connecting.
    public var database: Int

    /// Creates a URL from its parts.
    public init(host: String, port: Int = 6379, username: String? = nil, password: String? = nil, database: Int = 0) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
    }

    /// Parses a `redis://` URL.
    /// - Throws: `RedisError.invalidURL` naming what is wrong.
    public init(_ text: String) throws {
        func invalid(_ why: String) -> RedisError {
            RedisError(code: .invalidURL, message: "invalid Redis URL (\(why)); expected redis://[:password@]host:port[/db]")
        }
        guard text.hasPrefix("redis://") else { throw invalid("it must start with redis://") }
        var rest = Substring(text.dropFirst("redis://".count))
        var username: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                let user = String(userInfo[..<colon])
                username = user.isEmpty ? nil : user.removingPercentEncodingOrSelf
                password = String(userInfo[userInfo.index(after: colon)...]).removingPercentEncodingOrSelf
            } else if !userInfo.isEmpty {
                password = String(userInfo).removingPercentEncodingOrSelf
            }
        }
        var database = 0
        if let slash = rest.firstIndex(of: "/") {
            let path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
            if !path.isEmpty {
                guard let number = Int(path), number >= 0 else { throw invalid("the database must be a number") }
                database = number
            }
        }
        var port = 6379
        var host = String(rest)
        if let colon = rest.lastIndex(of: ":") {
            guard let number = Int(rest[rest.index(after: colon)...]), (1...65535).contains(number) else {
                throw invalid("the port must be a number from 1 to 65535")
            }
            port = number
            host = String(rest[..<colon])
        }
        guard !host.isEmpty else { throw invalid("the host is missing") }
        self.init(host: host, port: port, username: username, password: password, database: database)
    }

    /// The full URL, password included, for handing to another process (never for logs).
    public var urlString: String {
        var userInfo = ""
        if let password {
            let encoded = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? password
            userInfo = (username ?? "") + ":" + encoded + "@"
        }
        return "redis://\(userInfo)\(host):\(port)/\(database)"
    }

    /// The URL without its password, safe for logs and error messages.
    public var description: String { "redis://\(host):\(port)/\(database)" }
}

extension String {
    var removingPercentEncodingOrSelf: String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension RedisURL {
    /// What a new connection sends first: `AUTH` when the URL has a password, `SELECT` for a database other than 0.
    var loginCommands: [RedisCommand] {
        var commands: [RedisCommand] = []
        if let password {
            commands.append(username.map { RedisCommand("AUTH", $0, password) } ?? RedisCommand("AUTH", password))
        }
        if database != 0 { commands.append(RedisCommand("SELECT", database)) }
        return commands
    }
}
