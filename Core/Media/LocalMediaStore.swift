import Foundation

/// Media in a directory of this machine (`<data dir>/media` by default): one file per key, written
/// to a temporary name and renamed, so a reader never sees half a file.
public struct LocalMediaStore: MediaStore {
    /// The directory holding the files.
    public let directory: String

    /// Creates the store; the directory is created when first written to.
    public init(directory: String) {
        self.directory = directory
    }

    public func read(_ key: String) async throws -> [UInt8]? {
        guard let data = FileManager.default.contents(atPath: try path(of: key)) else { return nil }
        return Array(data)
    }

    public func write(_ bytes: [UInt8], to key: String) async throws {
        let path = try path(of: key)
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let temporary = folder + "/.\(UUID.random().uuidString).part"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
            throw MediaError(code: .unavailable, message: "could not write media to \(folder)")
        }
        if rename(temporary, path) != 0 {
            try? FileManager.default.removeItem(atPath: temporary)
            throw MediaError(code: .unavailable, message: "could not store media in \(folder)")
        }
    }

    /// The file of `key`.
    func path(of key: String) throws -> String {
        try Self.check(key)
        return directory + "/" + key
    }

    /// Keys are Leopost's own (`tenant/hash`): anything else (`..`, a leading dot, other
    /// characters) is refused, in every store.
    static func check(_ key: String) throws {
        let pieces = key.split(separator: "/", omittingEmptySubsequences: false)
        guard !pieces.isEmpty, pieces.allSatisfy({ !$0.isEmpty && !$0.hasPrefix(".") && $0.allSatisfy(Self.allowed) }) else {
            throw MediaError(code: .notFound, message: "not a media key: \(key.prefix(80))")
        }
    }

    private static func allowed(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "-" || character == "_" || character == ".")
    }
}
