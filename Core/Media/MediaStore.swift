/// Where the bytes of media people sent are kept once fetched from their channel, so a later turn,
/// a retry or another worker does not fetch them again. Keys are made by Leopost (a tenant's
/// directory and a hash), never by a tenant, so a key cannot reach outside its tenant's files.
public protocol MediaStore: Sendable {
    /// The bytes stored under `key`, or `nil` when there are none.
    func read(_ key: String) async throws -> [UInt8]?
    /// Stores `bytes` under `key`, replacing what was there.
    func write(_ bytes: [UInt8], to key: String) async throws
}
