import CCurl

/// Process-wide libcurl initialisation, done once.
///
/// `curl_global_init` is thread-safe since 7.84, but it must still run before the first handle and
/// should run once; a `static let` gives exactly-once semantics without global mutable state.
enum CurlGlobal {
    private static let result: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    /// Initialises libcurl on first use; later calls do nothing.
    static func initialize() {
        precondition(result == CURLE_OK, "curl_global_init failed: \(String(cString: curl_easy_strerror(result)))")
    }
}
