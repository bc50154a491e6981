extension HTTPClient {
    /// How an ``HTTPClient`` connects, how long it waits and how much it buffers.
    ///
    /// Timeouts come in two layers, as in async-http-client: these defaults, and per-request overrides
    /// and a `deadline` on ``HTTPClientRequest``. Each limit fails with its own
    /// ``HTTPClientError/Code`` so callers (and retry policies) can tell them apart.
    public struct Configuration: Sendable {
        /// Time to establish a connection, TCP and TLS handshake included (`CURLOPT_CONNECTTIMEOUT_MS`).
        /// Fails with ``HTTPClientError/Code/connectTimeout``. Default 10 s.
        public var connectTimeout: Duration
        /// Time from handing the request to the client until the final response headers arrive. Covers
        /// slow servers that accept the connection but never answer; AI providers can think for a while
        /// before the first header, so keep it generous. Fails with ``HTTPClientError/Code/firstByteTimeout``.
        /// Default 60 s.
        public var firstByteTimeout: Duration
        /// Longest gap between two received body chunks once the headers are in. Time the transfer spends
        /// paused because a streaming consumer is slow does not count. Fails with
        /// ``HTTPClientError/Code/idleTimeout``. Default 60 s.
        public var idleTimeout: Duration
        /// Limit for the whole exchange, streaming included. Fails with
        /// ``HTTPClientError/Code/totalTimeout``. Default 300 s.
        public var totalTimeout: Duration
        /// Largest body ``HTTPClient/execute(_:)`` collects; a larger one aborts the transfer with
        /// ``HTTPClientError/Code/bodyTooLarge``. Streaming bodies are not limited by this. Default 16 MiB.
        public var maxResponseBodySize: Int
        /// How many body bytes a streaming response buffers for a slow consumer before the transfer is
        /// paused (`CURL_WRITEFUNC_PAUSE`); it resumes once half of that has been consumed. Default 1 MiB.
        public var streamBufferSize: Int
        /// Sent as `User-Agent` unless the request sets one. Default `leopost/0.1`.
        public var userAgent: String
        /// Whether `3xx` responses with a `Location` are followed (at most ``maxRedirects`` times, http and
        /// https only). Off by default: API clients should see redirects.
        public var followRedirects: Bool
        /// Redirects followed at most when ``followRedirects`` is on. Default 5.
        public var maxRedirects: Int
        /// Connections open at most to one host (`CURLMOPT_MAX_HOST_CONNECTIONS`); requests beyond it wait
        /// in libcurl's queue (their first-byte timer runs while waiting). HTTP/2 multiplexes streams over
        /// one connection. `0` means no limit. Default 16.
        public var maxConnectionsPerHost: Int
        /// Judges the requests marked ``EgressTrust/tenant(field:)``. Default: every non-public address refused.
        public var egress: EgressGuard
        /// The name of the client's loop thread in /proc and debuggers (at most 15 characters).
        public var threadName: String

        /// Creates a configuration; every parameter has the documented default.
        public init(
            connectTimeout: Duration = .seconds(10),
            firstByteTimeout: Duration = .seconds(60),
            idleTimeout: Duration = .seconds(60),
            totalTimeout: Duration = .seconds(300),
            maxResponseBodySize: Int = 16 * 1024 * 1024,
            streamBufferSize: Int = 1024 * 1024,
            userAgent: String = "leopost/0.1",
            followRedirects: Bool = false,
            maxRedirects: Int = 5,
            maxConnectionsPerHost: Int = 16,
            threadName: String = "leopost-http",
            egress: EgressGuard = EgressGuard()
        ) {
            self.egress = egress
            self.threadName = threadName
            self.connectTimeout = connectTimeout
            self.firstByteTimeout = firstByteTimeout
            self.idleTimeout = idleTimeout
            self.totalTimeout = totalTimeout
            self.maxResponseBodySize = maxResponseBodySize
            self.streamBufferSize = streamBufferSize
            self.userAgent = userAgent
            self.followRedirects = followRedirects
            self.maxRedirects = maxRedirects
            self.maxConnectionsPerHost = maxConnectionsPerHost
        }
    }
}
