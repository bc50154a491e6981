public import Prometheus

/// The process's Prometheus metrics, served at `/metrics`.
///
/// One registry per process, passed to whoever records (no global bootstrap), so tests build
/// their own and read exactly what they caused.
public struct GatewayMetrics: Sendable {
    /// Where every metric of the process lives.
    public let registry: PrometheusCollectorRegistry

    /// Creates an empty registry.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    /// `http_server_requests_total` (OpenTelemetry's `http.server.request` counter in Prometheus spelling).
    static var requests: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "http", subsystem: "server", metricName: "requests", unitName: "total",
            helpText: "HTTP requests answered, by route and status"
        )
    }

    /// `http_server_request_duration_seconds`.
    static var requestDuration: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "http", subsystem: "server", metricName: "request_duration", unitName: "seconds",
            helpText: "Time to answer an HTTP request"
        )
    }

    /// Counts a finished HTTP request and records how long it took.
    func recordRequest(method: String, route: String, status: Int, duration: Duration) {
        let labels = [("method", method), ("route", route), ("status", String(status))]
        registry.makeCounter(descriptor: Self.requests, labels: labels).increment()
        registry.makeDurationHistogram(
            descriptor: Self.requestDuration,
            labels: [("method", method), ("route", route)],
            buckets: [.milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500), .seconds(2), .seconds(10)]
        ).record(duration)
    }

    /// The Prometheus text exposition of every metric.
    public func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
