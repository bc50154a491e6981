extension HTTPClientError {
    /// Whether the request may have reached the server and been acted on, though no answer came:
    /// a timeout or a dropped connection after it was sent. A sender of something that must not go
    /// out twice (a chat message) records such a call as unconfirmed instead of sending it again;
    /// a failure before the request left (no connection, refused by the egress guard, an invalid
    /// request) proves nothing was sent.
    public var mayHaveReachedServer: Bool {
        switch code {
        case .invalidURL, .invalidRequest, .connectionFailed, .connectTimeout, .tlsFailure, .egressRefused, .shutdown: false
        default: true
        }
    }
}
