import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The two secrets a server needs: the master key that seals stored credentials (AES-256-GCM)
/// and the secret that signs web-chat tokens.
///
/// Taken from `LEOPOST_MASTER_KEY` / `LEOPOST_JWT_SECRET` when set; otherwise read from
/// `master.key` / `jwt.secret` in the data directory, which `leopost serve` creates on first
/// start (mode 0600) so the embedded default needs no set-up.
public struct LeopostSecrets: Sendable {
    /// Seals secrets at rest.
    public let masterKey: SymmetricKey
    /// Signs and verifies web-chat tokens.
    public let signer: JWTSigner

    /// Loads the secrets, creating the files when `create` is true and they are missing.
    /// - Throws: `ConfigurationError` naming the variable or file that is missing or malformed.
    public static func load(_ configuration: LeopostConfiguration, create: Bool) throws -> LeopostSecrets {
        let directory = configuration.dataDirectory
        let keyHex =
            try configuration.masterKeyHex
            ?? readOrCreate(directory + "/master.key", variable: "LEOPOST_MASTER_KEY", create: create) {
                Hex.encode(try SecureRandom.bytes(count: 32))
            }
        let jwtSecret =
            try configuration.jwtSecret
            ?? readOrCreate(directory + "/jwt.secret", variable: "LEOPOST_JWT_SECRET", create: create) { try SecureRandom.token(byteCount: 48) }
        let masterKey: SymmetricKey
        do { masterKey = try SymmetricKey(hex: keyHex) } catch {
            throw ConfigurationError(variable: "LEOPOST_MASTER_KEY", message: "expected 64 hexadecimal characters (32 bytes)")
        }
        guard jwtSecret.utf8.count >= JWTSigner.minimumSecretByteCount else {
            throw ConfigurationError(variable: "LEOPOST_JWT_SECRET", message: "must be at least \(JWTSigner.minimumSecretByteCount) bytes")
        }
        return LeopostSecrets(masterKey: masterKey, signer: JWTSigner(secret: Array(jwtSecret.utf8), maxLifetime: configuration.tokenMaxLifetime))
    }

    private static func readOrCreate(_ path: String, variable: String, create: Bool, make: () throws -> String) throws -> String {
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard create else {
            throw ConfigurationError(
                variable: variable, message: "not set, and \(path) does not exist; set it or run `leopost serve` once to create it")
        }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let value = try make()
        // O_EXCL: when two processes start together, one creates the file and the other reads it,
        // so both end up with the same secret.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        if descriptor < 0 {
            if errno == EEXIST, let text = try? String(contentsOfFile: path, encoding: .utf8) {
                return text.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            throw ConfigurationError(variable: variable, message: "could not create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let line = value + "\n"
        guard line.withCString({ write(descriptor, $0, strlen($0)) }) == line.utf8.count else {
            throw ConfigurationError(variable: variable, message: "could not write \(path)")
        }
        return value
    }
}
