import CCurl

extension HTTPClientError {
    /// The one place a failed transfer's `CURLcode` becomes an ``HTTPClientError``.
    ///
    /// - Parameters:
    ///   - code: What `curl_multi_info_read` reported (never `CURLE_OK`).
    ///   - detail: curl's error buffer for this transfer, or empty; `curl_easy_strerror` is used when empty.
    ///   - connected: Whether a connection was established; tells a connect timeout from a later one.
    ///   - target: `METHOD scheme://host:port` for the message.
    static func fromCurl(_ code: CURLcode, detail: String, connected: Bool, target: String) -> HTTPClientError {
        let text = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        let curlText = "\(text) (curl error \(code.rawValue))"
        switch code {
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return .about(target, .invalidURL, "\(curlText); use an absolute http or https URL")
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT:
            return .about(target, .connectionFailed, "\(curlText); check the host name and that the server is up")
        case CURLE_OPERATION_TIMEDOUT:
            // Only CURLOPT_CONNECTTIMEOUT_MS is given to curl; the loop enforces the other limits itself.
            return connected
                ? .about(target, .totalTimeout, curlText)
                : .about(target, .connectTimeout, "\(curlText); the host did not accept a connection in time")
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED,
            CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT, CURLE_USE_SSL_FAILED:
            return .about(target, .tlsFailure, "\(curlText); check the server certificate and the system CA store")
        case CURLE_PARTIAL_FILE, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_HTTP2_STREAM:
            return .about(target, .connectionClosed, "\(curlText); the peer closed the connection before the response ended")
        case CURLE_ABORTED_BY_CALLBACK:
            return .about(target, .cancelled, curlText)
        default:
            return .about(target, .transferFailed, curlText)
        }
    }
}
