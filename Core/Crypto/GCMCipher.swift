import COpenSSL

/// The raw AES-256-GCM primitive behind `AESGCM`: OpenSSL's EVP cipher interface with a caller-given nonce.
///
/// Internal because a caller-chosen nonce is dangerous (reuse under one key breaks GCM); it exists apart
/// from the box format so it can be checked against published test vectors.
enum GCMCipher {
    /// Encrypts `plaintext` and returns the ciphertext (same length) and the 16-byte tag.
    static func seal(
        _ plaintext: [UInt8],
        key: SymmetricKey,
        nonce: [UInt8],
        aad: [UInt8]
    ) throws -> (ciphertext: [UInt8], tag: [UInt8]) {
        let context = try Context(encrypting: true, key: key, nonce: nonce)
        try context.authenticate(aad)
        let ciphertext = try context.transform(plaintext)
        try context.finish()
        var tag = [UInt8](repeating: 0, count: AESGCM.tagByteCount)
        try context.check(EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_GCM_GET_TAG, Int32(tag.count), &tag), "EVP_CTRL_GCM_GET_TAG")
        return (ciphertext, tag)
    }

    /// Decrypts `ciphertext` and checks `tag`; throws `authenticationFailed` instead of returning unverified bytes.
    static func open(
        ciphertext: [UInt8],
        tag: [UInt8],
        key: SymmetricKey,
        nonce: [UInt8],
        aad: [UInt8]
    ) throws -> [UInt8] {
        let context = try Context(encrypting: false, key: key, nonce: nonce)
        try context.authenticate(aad)
        let plaintext = try context.transform(ciphertext)
        var expectedTag = tag
        try context.check(
            EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_GCM_SET_TAG, Int32(expectedTag.count), &expectedTag),
            "EVP_CTRL_GCM_SET_TAG"
        )
        do {
            try context.finish()
        } catch {
            // With a valid context the final step fails only when the tag does not match (`check` has already
            // drained OpenSSL's error queue); say so in the caller's terms.
            throw CryptoError.authenticationFailed
        }
        return plaintext
    }

    /// One `EVP_CIPHER_CTX`, owned by the call that created it and freed when that call returns.
    private final class Context {
        /// EVP update calls take an `Int32` length; larger inputs are fed in chunks of this size.
        private static let chunkSize = 1 << 30

        let pointer: OpaquePointer

        init(encrypting: Bool, key: SymmetricKey, nonce: [UInt8]) throws {
            guard let pointer = EVP_CIPHER_CTX_new() else { throw CryptoError.openSSL("EVP_CIPHER_CTX_new") }
            self.pointer = pointer
            let direction: Int32 = encrypting ? 1 : 0
            try check(EVP_CipherInit_ex(pointer, EVP_aes_256_gcm(), nil, nil, nil, direction), "EVP_CipherInit_ex")
            try check(EVP_CIPHER_CTX_ctrl(pointer, EVP_CTRL_GCM_SET_IVLEN, Int32(nonce.count), nil), "EVP_CTRL_GCM_SET_IVLEN")
            try key.withUnsafeBytes { keyBytes in
                try check(EVP_CipherInit_ex(pointer, nil, nil, keyBytes, nonce, direction), "EVP_CipherInit_ex")
            }
        }

        deinit { EVP_CIPHER_CTX_free(pointer) }

        func check(_ status: Int32, _ function: String) throws {
            guard status == 1 else { throw CryptoError.openSSL(function) }
        }

        /// Feeds associated data: authenticated, not encrypted, no output.
        func authenticate(_ aad: [UInt8]) throws {
            try aad.withCryptoBytes { input, count in
                try forEachChunk(count) { offset, length in
                    var written: Int32 = 0
                    try check(EVP_CipherUpdate(pointer, nil, &written, input + offset, length), "EVP_CipherUpdate(aad)")
                }
            }
        }

        /// Encrypts or decrypts; GCM is a stream mode, so the output is exactly as long as the input.
        func transform(_ input: [UInt8]) throws -> [UInt8] {
            var output = [UInt8](repeating: 0, count: input.count)
            try input.withCryptoBytes { inputBytes, count in
                try output.withUnsafeMutableBufferPointer { outputBuffer in
                    try forEachChunk(count) { offset, length in
                        var written: Int32 = 0
                        try check(
                            EVP_CipherUpdate(pointer, outputBuffer.baseAddress! + offset, &written, inputBytes + offset, length),
                            "EVP_CipherUpdate"
                        )
                        guard written == length else { throw CryptoError.openSSL("EVP_CipherUpdate (short output)") }
                    }
                }
            }
            return output
        }

        /// Completes the operation; when decrypting, this is where a wrong tag is detected.
        func finish() throws {
            var written: Int32 = 0
            var trailing = [UInt8](repeating: 0, count: 16)
            try check(EVP_CipherFinal_ex(pointer, &trailing, &written), "EVP_CipherFinal_ex")
        }

        private func forEachChunk(_ count: Int, _ body: (Int, Int32) throws -> Void) throws {
            var offset = 0
            while offset < count {
                let length = min(Self.chunkSize, count - offset)
                try body(offset, Int32(length))
                offset += length
            }
        }
    }
}
