import CCurl
import Logging

extension CurlTransfer {
    /// Loop thread: creates and configures the easy handle and adds it to `multi`.
    /// - Returns: Why it could not be started, or `nil`.
    func start(multi: UnsafeMutableRawPointer) -> HTTPClientError? {
        guard let easy = curl_easy_init() else {
            return .about(request.target, .transferFailed, "curl_easy_init failed (out of memory?)")
        }
        self.easy = easy
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        buffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        errorBuffer = buffer
        for line in request.headerLines {
            guard let list = curl_slist_append(headerList, line) else {
                return .about(request.target, .transferFailed, "curl_slist_append failed (out of memory?)")
            }
            headerList = list
        }
        let retained = Unmanaged.passRetained(self)
        retainedSelf = retained
        do {
            try configure(easy, userData: retained.toOpaque(), errorBuffer: buffer)
        } catch {
            return error
        }
        let added = curl_multi_add_handle(multi, easy)
        guard added == CURLM_OK else {
            return .about(request.target, .transferFailed, "curl_multi_add_handle: \(String(cString: curl_multi_strerror(added)))")
        }
        addedToMulti = true
        startedAt = .now
        lastDataAt = startedAt
        logger.debug("http request started", metadata: [LogKey.httpTarget: "\(request.target)"])
        return nil
    }

    private func configure(
        _ easy: UnsafeMutableRawPointer,
        userData: UnsafeMutableRawPointer,
        errorBuffer: UnsafeMutablePointer<CChar>
    ) throws(HTTPClientError) {
        try check(ccurl_easy_setopt_string(easy, CURLOPT_URL, request.url), "CURLOPT_URL")
        try check(ccurl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1), "CURLOPT_NOSIGNAL")
        try check(ccurl_easy_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https"), "CURLOPT_PROTOCOLS_STR")
        try check(ccurl_easy_setopt_string(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"), "CURLOPT_REDIR_PROTOCOLS_STR")
        try check(ccurl_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, request.followRedirects ? 1 : 0), "CURLOPT_FOLLOWLOCATION")
        try check(ccurl_easy_setopt_long(easy, CURLOPT_MAXREDIRS, request.maxRedirects), "CURLOPT_MAXREDIRS")
        try check(ccurl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, request.connectTimeout.roundedUpMilliseconds), "CURLOPT_CONNECTTIMEOUT_MS")
        try check(ccurl_easy_setopt_string(easy, CURLOPT_USERAGENT, request.userAgent), "CURLOPT_USERAGENT")
        try check(ccurl_easy_setopt_long(easy, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1), "CURLOPT_SUPPRESS_CONNECT_HEADERS")
        try check(ccurl_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1), "CURLOPT_TCP_KEEPALIVE")
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_HTTPHEADER, headerList), "CURLOPT_HTTPHEADER")
        try configureMethod(easy)
        if let signature = request.awsSignature {
            // Separate options rather than CURLOPT_USERPWD, so no character of the key splits it.
            try check(ccurl_easy_setopt_string(easy, CURLOPT_AWS_SIGV4, signature.curlParameter), "CURLOPT_AWS_SIGV4")
            try check(ccurl_easy_setopt_string(easy, CURLOPT_USERNAME, signature.accessKeyID), "CURLOPT_USERNAME")
            try check(ccurl_easy_setopt_string(easy, CURLOPT_PASSWORD, signature.secretAccessKey), "CURLOPT_PASSWORD")
        }
        if request.egress != .operatorEndpoint {
            // No proxy from the environment: the guard judged the address this request connects to.
            try check(ccurl_easy_setopt_string(easy, CURLOPT_PROXY, ""), "CURLOPT_PROXY")
            if let entry = request.resolveEntry {
                guard let list = curl_slist_append(nil, entry) else {
                    throw .about(request.target, .transferFailed, "curl_slist_append failed (out of memory?)")
                }
                resolveList = list
                try check(ccurl_easy_setopt_pointer(easy, CURLOPT_RESOLVE, list), "CURLOPT_RESOLVE")
            }
        }
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, userData), "CURLOPT_HEADERDATA")
        try check(
            ccurl_easy_setopt_write_callback(easy, CURLOPT_HEADERFUNCTION) { data, size, count, userData in
                let transfer = Unmanaged<CurlTransfer>.fromOpaque(userData!).takeUnretainedValue()
                return transfer.receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
            }, "CURLOPT_HEADERFUNCTION")
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, userData), "CURLOPT_WRITEDATA")
        try check(
            ccurl_easy_setopt_write_callback(easy, CURLOPT_WRITEFUNCTION) { data, size, count, userData in
                let transfer = Unmanaged<CurlTransfer>.fromOpaque(userData!).takeUnretainedValue()
                return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
            }, "CURLOPT_WRITEFUNCTION")
    }

    /// GET and HEAD have their own options; a body goes through `CURLOPT_COPYPOSTFIELDS` (curl keeps a copy),
    /// and any other method name is sent with `CURLOPT_CUSTOMREQUEST`.
    private func configureMethod(_ easy: UnsafeMutableRawPointer) throws(HTTPClientError) {
        switch (request.method, request.body) {
        case ("GET", nil):
            try check(ccurl_easy_setopt_long(easy, CURLOPT_HTTPGET, 1), "CURLOPT_HTTPGET")
        case ("HEAD", nil):
            try check(ccurl_easy_setopt_long(easy, CURLOPT_NOBODY, 1), "CURLOPT_NOBODY")
        case (let method, nil):
            try check(ccurl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method), "CURLOPT_CUSTOMREQUEST")
        case (let method, let bytes?):
            try check(ccurl_easy_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count)), "CURLOPT_POSTFIELDSIZE_LARGE")
            let code =
                bytes.isEmpty
                ? ccurl_easy_setopt_string(easy, CURLOPT_COPYPOSTFIELDS, "")
                : bytes.withUnsafeBytes { ccurl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress)) }
            try check(code, "CURLOPT_COPYPOSTFIELDS")
            if method != "POST" {
                try check(ccurl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method), "CURLOPT_CUSTOMREQUEST")
            }
        }
    }

    private func check(_ code: CURLcode, _ option: String) throws(HTTPClientError) {
        guard code == CURLE_OK else {
            throw .about(request.target, .transferFailed, "curl refused \(option): \(String(cString: curl_easy_strerror(code)))")
        }
    }

    // MARK: Callbacks (inside curl_multi_perform / curl_easy_pause on the loop thread)

    /// One header line. Returning fewer bytes than given aborts the transfer with `CURLE_WRITE_ERROR`.
    fileprivate func receiveHeader(_ line: UnsafeRawBufferPointer) -> Int {
        guard let head = parser.feed(line: line) else { return line.count }
        if source == nil, let length = head.headers.first(name: "Content-Length").flatMap(Int.init), length > maxBodyBytes {
            callbackFailure = bodyTooLarge()
            return 0
        }
        headArrived(head)
        return line.count
    }

    /// A chunk of body bytes: collected up to the limit, or offered to the streaming consumer.
    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        lastDataAt = .now
        if head == nil, let current = parser.currentHead { headArrived(current) }
        guard let source else {
            guard body.count + bytes.count <= maxBodyBytes else {
                callbackFailure = bodyTooLarge()
                return 0
            }
            body.append(contentsOf: bytes)
            return bytes.count
        }
        switch source.offer(bytes) {
        case .accepted, .discard:
            return bytes.count
        case .pause:
            paused = true
            return Int(CURL_WRITEFUNC_PAUSE)
        }
    }

    /// Loop thread: the consumer caught up; let curl deliver again (it may call `receiveBody` right here).
    func unpause() {
        guard paused, let easy else { return }
        paused = false
        lastDataAt = .now
        _ = curl_easy_pause(easy, CURLPAUSE_CONT)
    }

    private func bodyTooLarge() -> HTTPClientError {
        .about(
            request.target, .bodyTooLarge,
            "the response body exceeds the limit of \(maxBodyBytes) bytes (maxResponseBodySize, or the request's maxBodySize); raise it or use stream(_:)"
        )
    }
}
