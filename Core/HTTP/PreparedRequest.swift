import CCurl

/// A request checked on the caller's side and reduced to what the curl loop needs.
///
/// Validation happens before anything is queued, so bad input fails fast with a precise code
/// instead of a late `CURLE_URL_MALFORMAT`, and a header value can never smuggle a CRLF onto the wire.
struct PreparedRequest: Sendable {
    let method: String
    let url: String
    /// `METHOD scheme://host:port`, for messages and logs; never the path or query (they may hold secrets).
    let target: String
    let host: String
    /// The port the URL leads to (the scheme's default when it names none).
    let port: Int
    /// Whether the request passes the egress guard, and how a refusal names its URL.
    let egress: EgressTrust
    /// Tenant requests: the address the guard judged, which the connection is pinned to.
    var pinnedAddress: IPAddress?
    /// `CURLOPT_RESOLVE`'s `host:port:address` entry that pins a tenant request's connection to
    /// the judged address; `nil` for the operator's requests and for literal addresses.
    var resolveEntry: String? {
        guard let pinnedAddress, IPAddress(host) == nil else { return nil }
        return "\(host):\(port):\(pinnedAddress.urlHost)"
    }
    /// `Name: value` lines in curl's `CURLOPT_HTTPHEADER` syntax.
    let headerLines: [String]
    /// `nil` only for methods that carry no body; POST, PUT and PATCH without one send an empty body.
    let body: [UInt8]?
    let connectTimeout: Duration
    let firstByteTimeout: Duration
    let idleTimeout: Duration
    /// The earlier of start + total timeout and the request's own deadline.
    let deadline: ContinuousClock.Instant
    let userAgent: String
    let followRedirects: Bool
    let maxRedirects: Int
    /// Signed by libcurl when set.
    let awsSignature: AWSSignature?

    init(
        _ request: HTTPClientRequest,
        configuration: HTTPClient.Configuration,
        now: ContinuousClock.Instant
    ) throws(HTTPClientError) {
        guard Self.isToken(request.method) else {
            throw HTTPClientError(code: .invalidRequest, message: "method \"\(request.method)\" is not a valid HTTP token")
        }
        let origin = try Self.origin(of: request.url)
        self.method = request.method
        self.url = request.url
        self.host = origin.host
        self.port = Int(origin.port) ?? 0
        self.egress = request.egress
        self.target = "\(request.method) \(origin.scheme)://\(origin.host):\(origin.port)"
        let body = request.body ?? (["POST", "PUT", "PATCH"].contains(request.method) ? [] : nil)
        self.headerLines = try Self.headerLines(request.headers, hasBody: body != nil, target: target)
        self.body = body
        self.connectTimeout = request.connectTimeout ?? configuration.connectTimeout
        self.firstByteTimeout = request.firstByteTimeout ?? configuration.firstByteTimeout
        self.idleTimeout = request.idleTimeout ?? configuration.idleTimeout
        let totalDeadline = now + (request.totalTimeout ?? configuration.totalTimeout)
        self.deadline = request.deadline.map { min($0, totalDeadline) } ?? totalDeadline
        self.userAgent = configuration.userAgent
        // A redirect would lead a tenant's request to an address the guard never judged.
        self.followRedirects = request.egress == .operatorEndpoint && configuration.followRedirects
        self.maxRedirects = configuration.maxRedirects
        self.awsSignature = request.awsSignature
    }

    /// Parses the URL with libcurl's own parser (`curl_url`), so what passes here is what curl will use
    /// (and what the egress guard judges is what curl connects to).
    static func origin(of url: String) throws(HTTPClientError) -> (scheme: String, host: String, port: String) {
        let reject = { (reason: String) in
            HTTPClientError(code: .invalidURL, message: "the URL (\(url.utf8.count) bytes) is not usable: \(reason)")
        }
        guard !url.utf8.contains(0), let handle = curl_url() else { throw reject("it contains a NUL byte") }
        defer { curl_url_cleanup(handle) }
        let code = curl_url_set(handle, CURLUPART_URL, url, 0)
        guard code == CURLUE_OK else {
            throw reject("\(String(cString: curl_url_strerror(code))); use an absolute http:// or https:// URL")
        }
        let scheme = part(handle, CURLUPART_SCHEME)?.lowercased() ?? ""
        guard scheme == "http" || scheme == "https" else {
            throw reject("scheme \"\(scheme)\" is not allowed; only http and https are")
        }
        guard let host = part(handle, CURLUPART_HOST), !host.isEmpty else { throw reject("it has no host") }
        let port = part(handle, CURLUPART_PORT, flags: UInt32(CURLU_DEFAULT_PORT)) ?? "?"
        return (scheme, host, port)
    }

    private static func part(_ handle: OpaquePointer, _ what: CURLUPart, flags: UInt32 = 0) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard curl_url_get(handle, what, &value, flags) == CURLUE_OK, let value else { return nil }
        defer { curl_free(value) }
        return String(cString: value)
    }

    /// Builds curl header lines; an empty value uses curl's `Name;` form (a bare `Name:` would delete it).
    private static func headerLines(
        _ headers: HTTPClientHeaders,
        hasBody: Bool,
        target: String
    ) throws(HTTPClientError) -> [String] {
        var lines: [String] = []
        for field in headers {
            guard isToken(field.name) else {
                throw .about(target, .invalidRequest, "header name \"\(field.name)\" is not a valid HTTP token")
            }
            guard !field.value.utf8.contains(where: { $0 == 0 || $0 == 10 || $0 == 13 }) else {
                throw .about(target, .invalidRequest, "the value of header \(field.name) contains CR, LF or NUL")
            }
            lines.append(field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)")
        }
        // curl adds `Expect: 100-continue` to larger bodies and waits up to 1 s for servers that ignore it.
        if !headers.contains(name: "Expect") { lines.append("Expect:") }
        // curl would label any body application/x-www-form-urlencoded; send no type unless given one.
        if hasBody && !headers.contains(name: "Content-Type") { lines.append("Content-Type:") }
        return lines
    }

    /// RFC 9110 `token`: visible ASCII except delimiters.
    private static func isToken(_ text: String) -> Bool {
        !text.isEmpty
            && text.utf8.allSatisfy { byte in
                (33...126).contains(byte) && !"\"(),/:;<=>?@[\\]{}".utf8.contains(byte)
            }
    }
}
