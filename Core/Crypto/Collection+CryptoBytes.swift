extension Collection where Element == UInt8 {
    /// Calls `body` with the bytes in one contiguous buffer whose base address is never nil.
    ///
    /// OpenSSL treats a NULL pointer differently from an empty buffer in places (HMAC takes a NULL key to
    /// mean "reuse the previous key"), so an empty collection is passed as a valid pointer and length 0.
    /// Non-contiguous collections are copied once.
    func withCryptoBytes<Result>(_ body: (UnsafePointer<UInt8>, Int) throws -> Result) rethrows -> Result {
        if let result = try withContiguousStorageIfAvailable({ buffer -> Result in
            guard let base = buffer.baseAddress else { return try Self.withEmptyBytes(body) }
            return try body(base, buffer.count)
        }) {
            return result
        }
        return try Array(self).withCryptoBytes(body)
    }

    private static func withEmptyBytes<Result>(_ body: (UnsafePointer<UInt8>, Int) throws -> Result) rethrows -> Result {
        try withUnsafePointer(to: UInt8(0)) { try body($0, 0) }
    }
}
