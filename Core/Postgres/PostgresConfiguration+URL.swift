import Foundation

extension PostgresConfiguration {
    /// The URL query parameters understood by ``init(url:)``.
    private static let sslModes: Set<String> = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]

    /// Parses `postgres://user:password@host:port/database?sslmode=require&application_name=leopost`.
    ///
    /// Both `postgres://` and `postgresql://` are accepted; user, password, host and database are
    /// percent-decoded (write `%40` for `@` in a password); the port defaults to 5432. Query parameters:
    /// `sslmode`, `application_name`, `connect_timeout` (seconds), `statement_cache_capacity` (0 for
    /// a PgBouncer before 1.21 in transaction mode); anything else is refused so a typo
    /// does not pass silently. IPv6 hosts go in brackets: `postgres://u@[::1]:5432/db`.
    /// - Parameter url: The database URL, e.g. the value of `LEOPOST_DATABASE_URL`.
    /// - Throws: ``PostgresError`` with code `invalidURL`, naming the problem but never the password.
    public init(url: String) throws {
        guard let schemeEnd = url.range(of: "://") else {
            throw PostgresError.invalidURL("missing scheme")
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "postgres" || scheme == "postgresql" else {
            let shown =
                scheme.count <= 20 && scheme.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" })
                ? "'\(scheme)'" : "the given one"
            throw PostgresError.invalidURL("unsupported scheme \(shown); use postgres:// or postgresql://")
        }
        var rest = Substring(url[schemeEnd.upperBound...])
        if rest.contains("#") { throw PostgresError.invalidURL("a fragment ('#...') is not allowed") }
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        guard let at = rest.lastIndex(of: "@") else {
            throw PostgresError.invalidURL("missing user name (write postgres://USER@host/database)")
        }
        let (user, password) = try Self.parseUserInfo(rest[..<at])
        let (host, port) = try Self.parseHostAndPort(rest[rest.index(after: at)...])
        guard let database = String(path).removingPercentEncoding, !path.contains("/") else {
            throw PostgresError.invalidURL("database name is not a single, validly percent-encoded path segment")
        }
        self.init(host: host, port: port, user: user, password: password, database: database.isEmpty ? user : database)
        try applyQuery(query)
    }

    /// Splits and decodes `user[:password]`; errors never quote the password.
    private static func parseUserInfo(_ userInfo: Substring) throws -> (String, String?) {
        let parts = userInfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard let user = parts[0].removingPercentEncoding else {
            throw PostgresError.invalidURL("user name is not validly percent-encoded")
        }
        guard !user.isEmpty else {
            throw PostgresError.invalidURL("missing user name (write postgres://USER@host/database)")
        }
        guard parts.count == 2 else { return (user, nil) }
        guard let password = parts[1].removingPercentEncoding else {
            throw PostgresError.invalidURL("password is not validly percent-encoded (write %40 for @, %3A for :)")
        }
        return (user, password)
    }

    /// Parses `host`, `host:port`, `[v6]` or `[v6]:port`.
    private static func parseHostAndPort(_ hostPort: Substring) throws -> (String, Int) {
        var hostPart = hostPort
        var portPart: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else {
                throw PostgresError.invalidURL("IPv6 host is missing its closing ']'")
            }
            hostPart = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            let after = hostPort[hostPort.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw PostgresError.invalidURL("unexpected text after the IPv6 host") }
                portPart = after.dropFirst()
            }
        } else if let colon = hostPort.firstIndex(of: ":") {
            hostPart = hostPort[..<colon]
            portPart = hostPort[hostPort.index(after: colon)...]
        }
        guard let host = hostPart.removingPercentEncoding, !host.isEmpty else {
            throw PostgresError.invalidURL("missing host (write postgres://user@HOST:5432/database)")
        }
        guard let portPart else { return (host, 5432) }
        guard !portPart.isEmpty, portPart.count <= 5, portPart.allSatisfy(\.isASCII), portPart.allSatisfy(\.isNumber),
            let port = Int(portPart), (1...65535).contains(port)
        else {
            let shown = portPart.count <= 10 ? "'\(portPart)'" : "(too long)"
            throw PostgresError.invalidURL("invalid port \(shown); expected a number from 1 to 65535")
        }
        return (host, port)
    }

    /// Applies the query parameters ``init(url:)`` lists; refuses anything else.
    private mutating func applyQuery(_ query: Substring) throws {
        for pair in query.split(separator: "&") {
            let keyValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard keyValue.count == 2, let key = keyValue[0].removingPercentEncoding,
                let value = keyValue[1].removingPercentEncoding
            else {
                throw PostgresError.invalidURL("query parameters must be key=value, percent-encoded")
            }
            switch key {
            case "sslmode":
                guard Self.sslModes.contains(value) else {
                    throw PostgresError.invalidURL(
                        "invalid sslmode; expected one of \(Self.sslModes.sorted().joined(separator: ", "))")
                }
                sslMode = value
            case "application_name":
                applicationName = value
            case "connect_timeout":
                guard let seconds = Int(value), seconds > 0 else {
                    throw PostgresError.invalidURL("connect_timeout must be a positive number of seconds")
                }
                connectTimeout = .seconds(seconds)
            case "statement_cache_capacity":
                guard let capacity = Int(value), capacity >= 0 else {
                    throw PostgresError.invalidURL("statement_cache_capacity must be 0 or a positive number of statements")
                }
                statementCacheCapacity = capacity
            default:
                let shown = key.count <= 40 ? "'\(key)'" : "(too long)"
                throw PostgresError.invalidURL(
                    "unknown query parameter \(shown); supported: sslmode, application_name, connect_timeout, statement_cache_capacity")
            }
        }
    }
}
