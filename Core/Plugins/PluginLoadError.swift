/// Why a plugin library was refused. Every message starts with the file, as PostgreSQL's and
/// SQLite's loaders word theirs, so an operator reading the log knows which library to fix.
public struct PluginLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of refusal; compare against the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case cannotOpen, missingEntry, noDescriptor, badMagic, abiMismatch, invalidDescriptor, invalidManifest, duplicateName
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        /// `dlopen` failed (not a library, missing dependency, undefined symbol).
        public static let cannotOpen = Code(.cannotOpen)
        /// The library has no `leopost_platform_entry`.
        public static let missingEntry = Code(.missingEntry)
        /// The entry returned no descriptor (it found the host's table too old).
        public static let noDescriptor = Code(.noDescriptor)
        /// The descriptor does not start with the magic number.
        public static let badMagic = Code(.badMagic)
        /// The library was built for another major ABI version.
        public static let abiMismatch = Code(.abiMismatch)
        /// A required field or function is missing.
        public static let invalidDescriptor = Code(.invalidDescriptor)
        /// The manifest is not valid JSON or breaks a rule.
        public static let invalidManifest = Code(.invalidManifest)
        /// Another loaded library already serves this platform name.
        public static let duplicateName = Code(.duplicateName)
        public var description: String { base.rawValue }
    }

    /// The kind of refusal.
    public let code: Code
    /// The library's path.
    public let file: String
    /// What is wrong and what to do, without the file.
    public let reason: String

    init(_ code: Code, file: String, _ reason: String) {
        self.code = code
        self.file = file
        self.reason = reason
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    /// "file: reason".
    public var description: String { "\(file): \(reason)" }

    static func cannotOpen(_ file: String, dlerror: String) -> Self {
        Self(.cannotOpen, file: file, "cannot be loaded: \(dlerror)")
    }

    static func missingEntry(_ file: String, dlerror: String) -> Self {
        Self(.missingEntry, file: file, "no entry point leopost_platform_entry (\(dlerror)); is it a Leopost platform plugin?")
    }

    static func noDescriptor(_ file: String, hostMinor: Int) -> Self {
        Self(.noDescriptor, file: file, "the plugin declined to load: it needs a newer host than ABI \(hostABI(minor: hostMinor))")
    }

    static func badMagic(_ file: String, found: UInt32) -> Self {
        Self(.badMagic, file: file, "incompatible library: the descriptor's magic is 0x\(String(found, radix: 16)), not 0x4c50504c")
    }

    static func abiMismatch(_ file: String, major: Int, minor: Int, hostMinor: Int) -> Self {
        Self(
            .abiMismatch, file: file,
            "incompatible library: host ABI \(hostABI(minor: hostMinor)), library \(major).\(minor); rebuild it against this Leopost's leopost_platform.h"
        )
    }

    static func invalidDescriptor(_ file: String, _ problem: String) -> Self {
        Self(.invalidDescriptor, file: file, "invalid descriptor: \(problem)")
    }

    static func invalidManifest(_ file: String, _ problem: String) -> Self {
        Self(.invalidManifest, file: file, "invalid manifest: \(problem)")
    }

    static func duplicateName(_ file: String, name: String, loadedFrom: String) -> Self {
        Self(.duplicateName, file: file, "platform \"\(name)\" is already loaded from \(loadedFrom)")
    }

    private static func hostABI(minor: Int) -> String { "1.\(minor)" }
}
