/// Turns the lines curl hands the header callback into the head of the *final* response.
///
/// curl reports every header block it sees: interim `1xx` blocks (`HTTP/1.1 100 Continue`), the blocks of
/// redirects it follows, then the final one, and after the body, chunked trailers. Only the final block
/// is the response; this parser skips the rest. Pure and byte-fed, so it is tested without sockets.
struct HTTPResponseHeadParser: Sendable {
    /// A status and its header fields.
    struct Head: Sendable, Equatable {
        var status: Int
        var headers: HTTPClientHeaders
    }

    /// Statuses curl follows when `CURLOPT_FOLLOWLOCATION` is on and a `Location` is present.
    private static let followedStatuses: Set<Int> = [300, 301, 302, 303, 307, 308]

    private let followRedirects: Bool
    private var status: Int?
    private var headers = HTTPClientHeaders()
    /// The final head, once its terminating empty line was seen.
    private(set) var finalHead: Head?

    init(followRedirects: Bool) {
        self.followRedirects = followRedirects
    }

    /// The block being read, if its status line was seen: used when a body starts without the
    /// parser having recognised the block as final (for example a redirect curl did not follow).
    var currentHead: Head? {
        finalHead ?? status.map { Head(status: $0, headers: headers) }
    }

    /// Feeds one header line (with or without its CRLF).
    /// - Returns: The final head when this line completed it, otherwise `nil`.
    mutating func feed<Bytes: Collection<UInt8>>(line rawLine: Bytes) -> Head? {
        guard finalHead == nil else { return nil }  // trailers after the body are ignored
        var line = Array(rawLine)
        while let last = line.last, last == UInt8(ascii: "\r") || last == UInt8(ascii: "\n") {
            line.removeLast()
        }
        if line.isEmpty {
            return endOfBlock()
        }
        if line.starts(with: Array("HTTP/".utf8)) {
            status = Self.parseStatus(line)
            headers = HTTPClientHeaders()
            return nil
        }
        guard status != nil else { return nil }
        if line.first == UInt8(ascii: " ") || line.first == UInt8(ascii: "\t") {
            appendContinuation(line)
        } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            let name = String(decoding: line[..<colon], as: UTF8.self)
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self)
            headers.add(name: name, value: Self.trimmed(value))
        }
        return nil
    }

    private mutating func endOfBlock() -> Head? {
        guard let current = status else { return nil }
        let isInterim = (100..<200).contains(current)
        let isFollowedRedirect =
            followRedirects && Self.followedStatuses.contains(current) && headers.contains(name: "Location")
        if isInterim || isFollowedRedirect {
            status = nil
            headers = HTTPClientHeaders()
            return nil
        }
        let head = Head(status: current, headers: headers)
        finalHead = head
        return head
    }

    /// Obsolete line folding (RFC 9112 5.2): a line starting with whitespace continues the previous value.
    private mutating func appendContinuation(_ line: [UInt8]) {
        guard !headers.fields.isEmpty else { return }
        headers.fields[headers.fields.count - 1].value += " " + Self.trimmed(String(decoding: line, as: UTF8.self))
    }

    /// `HTTP/1.1 200 OK`, `HTTP/2 200`, `HTTP/1.0 404 Not Found`: the second token is the status.
    private static func parseStatus(_ line: [UInt8]) -> Int? {
        let tokens = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: true)
        guard tokens.count >= 2, tokens[1].count == 3 else { return nil }
        return Int(String(decoding: tokens[1], as: UTF8.self))
    }

    private static func trimmed(_ value: String) -> String {
        var scalars = Substring(value)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
