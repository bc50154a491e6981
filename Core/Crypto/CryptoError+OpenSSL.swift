import COpenSSL

extension CryptoError {
    /// Builds an `openSSLFailure` for `function`, draining OpenSSL's thread-local error queue into the message.
    ///
    /// Call it right after the failing call, on the same thread, so the queue holds that call's errors and
    /// nothing stale is left behind for the next caller.
    static func openSSL(_ function: String) -> CryptoError {
        CryptoError(code: .openSSLFailure, message: "\(function) failed: \(drainOpenSSLErrors())")
    }

    /// Reads and clears every queued OpenSSL error, joined with "; ", or a fixed text when the queue is empty.
    static func drainOpenSSLErrors() -> String {
        var reasons: [String] = []
        var buffer = [CChar](repeating: 0, count: 256)
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            buffer.withUnsafeMutableBufferPointer { ERR_error_string_n(code, $0.baseAddress, $0.count) }
            reasons.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return reasons.isEmpty ? "no OpenSSL error was queued" : reasons.joined(separator: "; ")
    }
}
