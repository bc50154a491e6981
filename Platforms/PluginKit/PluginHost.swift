public import CLeopostPlatform
public import Foundation

/// The host's services for the call in progress: HTTP (only to the manifest's hosts), log,
/// clock and HMAC, as the `lp_host_api` table of `leopost_platform.h` offers them.
///
/// Valid only during the call it was given to; do not keep it.
public struct PluginHost: @unchecked Sendable {
    // @unchecked: the table is immutable and owned by the host for the duration of the call.
    private let api: UnsafePointer<lp_host_api>

    /// Wraps the table the host passed to this call.
    public init(_ api: UnsafePointer<lp_host_api>) {
        self.api = api
    }

    /// What came back from an HTTP request.
    public struct Response: Sendable {
        /// What happened below HTTP.
        public enum Transport: Sendable, Equatable {
            /// The server answered; see `status`.
            case answered
            /// Nothing reached the server: safe to try again.
            case notSent
            /// Sent, then no complete answer: the request may have had its effect.
            case noAnswer
            /// The URL's host is not in the manifest; nothing was sent.
            case hostNotAllowed
            /// The request itself was malformed; nothing was sent.
            case invalidRequest
        }

        /// What happened below HTTP.
        public var transport: Transport
        /// The HTTP status when answered, else 0.
        public var status: Int
        /// Response headers by lower-case name (the last of repeated ones).
        public var headers: [String: String]
        /// The body.
        public var body: Data
        /// The host's explanation when the transport failed.
        public var errorMessage: String?

        /// The body decoded as JSON into `T`, or `nil`.
        public func json<T: Decodable>(_ type: T.Type) -> T? {
            try? JSONDecoder().decode(T.self, from: body)
        }

        /// The body as text, for error messages (at most 300 characters).
        public var bodySnippet: String { String(String(decoding: body, as: UTF8.self).prefix(300)) }
    }

    /// Sends an HTTP request through the host and waits for the answer.
    /// - Parameters:
    ///   - method: "GET", "POST", ...
    ///   - url: Absolute URL; its host must be allowed for this call.
    ///   - headers: Request headers.
    ///   - body: Request body, if any.
    ///   - timeoutMilliseconds: 0 for the host's default.
    public func http(
        _ method: String, _ url: String, headers: [(String, String)] = [], body: Data? = nil, timeoutMilliseconds: UInt32 = 0
    ) -> Response {
        var raw = lp_http_response()
        raw.struct_size = UInt32(MemoryLayout<lp_http_response>.size)
        let headerText = headers.map { "\($0.0): \($0.1)\n" }.joined()
        let transport: Int32 =
            if let body {
                body.withUnsafeBytes { bytes in
                    api.pointee.http(
                        api.pointee.context, method, url, headerText, bytes.baseAddress?.assumingMemoryBound(to: CChar.self),
                        UInt64(bytes.count), timeoutMilliseconds, &raw)
                }
            } else {
                api.pointee.http(api.pointee.context, method, url, headerText, nil, 0, timeoutMilliseconds, &raw)
            }
        defer { api.pointee.free_response(api.pointee.context, &raw) }
        var parsedHeaders: [String: String] = [:]
        if let text = raw.headers {
            for line in String(cString: text).split(separator: "\n") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = line[..<colon].lowercased()
                parsedHeaders[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        let body = raw.body.map { Data(bytes: $0, count: Int(raw.body_length)) } ?? Data()
        return Response(
            transport: Self.transport(transport), status: Int(raw.status), headers: parsedHeaders, body: body,
            errorMessage: raw.error_message.map { String(cString: $0) }
        )
    }

    /// Writes a line to the host's log.
    public func log(_ level: LogLevel, _ message: String) {
        api.pointee.log(api.pointee.context, level.rawValue, message)
    }

    /// The host's wall clock.
    public var now: Date {
        Date(timeIntervalSince1970: Double(api.pointee.now_unix_ms(api.pointee.context)) / 1000)
    }

    /// HMAC-SHA256 of `data` under `key`, computed by the host.
    public func hmacSHA256(key: Data, data: Data) -> Data {
        var out = [UInt8](repeating: 0, count: 32)
        key.withUnsafeBytes { keyBytes in
            data.withUnsafeBytes { dataBytes in
                out.withUnsafeMutableBufferPointer { output in
                    api.pointee.hmac_sha256(
                        api.pointee.context, keyBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(keyBytes.count),
                        dataBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(dataBytes.count), output.baseAddress)
                }
            }
        }
        return Data(out)
    }

    /// Log levels of the host's log.
    public enum LogLevel: Int32, Sendable {
        /// Detail for debugging a plugin.
        case debug = 0
        /// Something worth knowing.
        case info = 1
        /// Something went wrong and was handled.
        case warning = 2
        /// Something went wrong and was not.
        case error = 3
    }

    private static func transport(_ code: Int32) -> Response.Transport {
        switch code {
        case LP_HTTP_ANSWERED: .answered
        case LP_HTTP_NOT_SENT: .notSent
        case LP_HTTP_NO_ANSWER: .noAnswer
        case LP_HTTP_HOST_NOT_ALLOWED: .hostNotAllowed
        default: .invalidRequest
        }
    }
}
