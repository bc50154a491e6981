import Foundation

/// The password of an embedded server, generated on first start and kept in its data directory
/// (mode 0600), so other local users cannot use the servers Leopost started for itself.
enum EmbeddedPassword {
    /// Reads the password in `path`, or creates one there (hex, so it needs no escaping in URLs).
    static func readOrCreate(at path: String) throws -> String {
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            let password = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !password.isEmpty { return password }
        }
        let password = Hex.encode(try SecureRandom.bytes(count: 24))
        guard FileManager.default.createFile(atPath: path, contents: Data((password + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw EmbeddedServerError(code: .startFailed, message: "could not write the embedded server's password to \(path)")
        }
        return password
    }
}
