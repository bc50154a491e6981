import CLeopostPlatform
import Dispatch
import Foundation
import Logging
import Synchronization

/// The `lp_host_api` table Leopost hands a plugin: HTTP through the host's libcurl client, only
/// to allowed origins; logging; the clock; HMAC-SHA256.
///
/// Each function is a closure that captures nothing (a C function pointer) and finds its call's
/// ``PluginCallContext`` through the table's `context`. Memory the host puts in a response is
/// allocated with `malloc` and freed by `free_response`, on the host's side of the boundary.
enum PluginHostServices {
    /// The longest plugin log line passed on whole.
    static let maxLogBytes = 4096

    /// Runs `body` with a table for one call; the table and its context live until `body` returns.
    static func withTable<T>(for context: PluginCallContext, _ body: (UnsafePointer<lp_host_api>) -> T) -> T {
        let unmanaged = Unmanaged.passRetained(context)
        defer { unmanaged.release() }
        var table = lp_host_api(
            struct_size: UInt32(MemoryLayout<lp_host_api>.size),
            abi_major: UInt16(LP_ABI_MAJOR),
            abi_minor: UInt16(LP_ABI_MINOR),
            context: unmanaged.toOpaque(),
            http: { context, method, url, headers, body, bodyLength, timeout, response in
                guard let context, let response else { return LP_HTTP_INVALID_REQUEST }
                let call = Unmanaged<PluginCallContext>.fromOpaque(context).takeUnretainedValue()
                let bytes = body.map { [UInt8](UnsafeRawBufferPointer(start: $0, count: Int(bodyLength))) }
                let outcome = PluginHostServices.perform(
                    call, method: method.map { String(cString: $0) }, url: url.map { String(cString: $0) },
                    headers: headers.map { String(cString: $0) } ?? "", body: bytes, timeoutMilliseconds: timeout)
                outcome.write(to: response)
                return outcome.transport
            },
            free_response: { _, response in
                guard let response else { return }
                free(response.pointee.headers)
                free(response.pointee.body)
                free(response.pointee.error_message)
                response.pointee.headers = nil
                response.pointee.body = nil
                response.pointee.error_message = nil
            },
            log: { context, level, message in
                guard let context, let message else { return }
                let call = Unmanaged<PluginCallContext>.fromOpaque(context).takeUnretainedValue()
                // A log line is a line: at most 4 KiB of it reaches the host's log.
                let length = strnlen(message, PluginHostServices.maxLogBytes + 1)
                let bytes = UnsafeRawBufferPointer(start: message, count: min(length, PluginHostServices.maxLogBytes))
                var line = String(decoding: bytes, as: UTF8.self)
                if length > PluginHostServices.maxLogBytes { line += "… (cut at \(PluginHostServices.maxLogBytes) bytes)" }
                let text = Logger.Message(stringLiteral: line)
                switch level {
                case LP_LOG_DEBUG: call.logger.debug(text)
                case LP_LOG_INFO: call.logger.info(text)
                case LP_LOG_WARNING: call.logger.warning(text)
                default: call.logger.error(text)
                }
            },
            now_unix_ms: { _ in Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) },
            hmac_sha256: { _, key, keyLength, data, dataLength, out in
                guard let out else { return }
                let key = key.map { UnsafeBufferPointer(start: $0, count: Int(keyLength)) } ?? UnsafeBufferPointer(start: nil, count: 0)
                let data = data.map { UnsafeBufferPointer(start: $0, count: Int(dataLength)) } ?? UnsafeBufferPointer(start: nil, count: 0)
                let code = HMACSHA256.authenticationCode(for: data, key: key)
                for (index, byte) in code.enumerated() { out[index] = byte }
            }
        )
        return withUnsafePointer(to: &table) { body($0) }
    }

    /// What the HTTP service answers, before it is copied into C memory.
    struct HTTPOutcome {
        var transport: Int32
        var status: Int32 = 0
        var headers = ""
        var body: [UInt8] = []
        var error: String?

        func write(to response: UnsafeMutablePointer<lp_http_response>) {
            response.pointee.transport = transport
            response.pointee.status = status
            response.pointee.headers = strdup(headers)
            let buffer = malloc(body.count + 1)!.assumingMemoryBound(to: CChar.self)
            body.withUnsafeBytes { bytes in
                if let base = bytes.baseAddress { memcpy(buffer, base, bytes.count) }
            }
            buffer[body.count] = 0
            response.pointee.body = buffer
            response.pointee.body_length = UInt64(body.count)
            response.pointee.error_message = error.map { strdup($0) }
        }
    }

    /// Checks the URL against the call's allowed origins, then performs the request on the host's
    /// HTTP client and waits for it (the caller is a plugin-call thread, never the cooperative pool).
    static func perform(
        _ call: PluginCallContext, method: String?, url: String?, headers: String, body: [UInt8]?, timeoutMilliseconds: UInt32
    ) -> HTTPOutcome {
        guard let method, !method.isEmpty, let url else {
            return HTTPOutcome(transport: LP_HTTP_INVALID_REQUEST, error: "a request needs a method and a URL")
        }
        guard let origin = PluginOrigin(url: url) else {
            return HTTPOutcome(transport: LP_HTTP_INVALID_REQUEST, error: "\(url) is not an absolute http(s) URL")
        }
        guard let http = call.http else {
            return HTTPOutcome(transport: LP_HTTP_HOST_NOT_ALLOWED, error: "a plugin may not call out while it loads")
        }
        guard call.allowedOrigins.contains(origin) else {
            call.logger.warning("plugin tried to call a host outside its manifest", metadata: [LogKey.pluginURL: "\(origin)"])
            let allowed = call.allowedOrigins.map(\.description).sorted().joined(separator: ", ")
            return HTTPOutcome(
                transport: LP_HTTP_HOST_NOT_ALLOWED,
                error: "\(origin) is not among the hosts this plugin may call (\(allowed.isEmpty ? "none" : allowed))")
        }
        var request = HTTPClientRequest(method: method, url: url, body: body)
        request.egress = origin == call.operatorOrigin ? .operatorEndpoint : .tenant(field: "\(call.plugin) target")
        for line in headers.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else {
                return HTTPOutcome(transport: LP_HTTP_INVALID_REQUEST, error: "header line without a colon: \(line.prefix(80))")
            }
            request.headers.add(name: String(line[..<colon]), value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        request.totalTimeout = timeoutMilliseconds == 0 ? call.defaultTimeout : .milliseconds(Int64(timeoutMilliseconds))
        request.firstByteTimeout = request.totalTimeout
        let prepared = request
        let result = wait { try await http.execute(prepared) }
        switch result {
        case .success(let response):
            let headerText = response.headers.map { "\($0.name.lowercased()): \($0.value)\n" }.joined()
            return HTTPOutcome(transport: LP_HTTP_ANSWERED, status: Int32(response.status), headers: headerText, body: response.body)
        case .failure(let error as HTTPClientError):
            return HTTPOutcome(transport: transport(of: error), error: error.description)
        case .failure(let error):
            return HTTPOutcome(transport: LP_HTTP_NO_ANSWER, error: "\(error)")
        }
    }

    /// Whether a failed request reached the server: the difference between "safe to retry" and
    /// "may have been posted".
    static func transport(of error: HTTPClientError) -> Int32 {
        switch error.code {
        case .invalidURL, .invalidRequest: LP_HTTP_INVALID_REQUEST
        case .egressRefused: LP_HTTP_HOST_NOT_ALLOWED
        case .connectionFailed, .connectTimeout, .tlsFailure, .shutdown: LP_HTTP_NOT_SENT
        default: LP_HTTP_NO_ANSWER
        }
    }

    /// Blocks the calling thread until `operation` finishes. The plugin's C call stack is
    /// synchronous, so the async client is bridged here, once; the task is awaited (by the
    /// semaphore) before this returns, so it never outlives the call.
    private static func wait<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) -> Result<T, any Error> {
        let semaphore = DispatchSemaphore(value: 0)
        let box = Mutex<Result<T, any Error>?>(nil)
        Task {
            let result: Result<T, any Error>
            do { result = .success(try await operation()) } catch { result = .failure(error) }
            box.withLock { $0 = result }
            semaphore.signal()
        }
        semaphore.wait()
        return box.withLock { $0! }
    }
}
