import Foundation
import Synchronization

/// Where new versions of already loaded plugin libraries are copied to be opened (glibc's
/// `dlopen` returns the library already mapped under a path, so a new version needs a path of
/// its own).
///
/// The directory is made once with `mkdtemp` (mode 0700, a name no one can predict) under the
/// data directory, and each copy is created with `O_CREAT | O_EXCL | O_NOFOLLOW`: another local
/// user can neither plant a library there before Leopost copies, nor point a symlink at a file of
/// their choosing. A predictable `/tmp/leopost-plugins-<pid>` allowed both.
final class PluginCopies: Sendable {
    private let parent: String
    private let state = Mutex<(directory: String?, count: Int)>((nil, 0))

    /// - Parameter parent: the directory the private one is made in (the data directory).
    init(parent: String) {
        self.parent = parent
    }

    /// Copies `file` to a new private path and returns it.
    /// - Throws: a message saying what failed.
    func copy(_ file: String) throws(PluginLoadError) -> String {
        let (directory, number) = try state.withLock { state throws(PluginLoadError) -> (String, Int) in
            if state.directory == nil { state.directory = try Self.makeDirectory(in: parent, for: file) }
            state.count += 1
            return (state.directory!, state.count)
        }
        let path = "\(directory)/\(number)-\(URL(fileURLWithPath: file).lastPathComponent)"
        guard let bytes = FileManager.default.contents(atPath: file) else {
            throw .cannotOpen(file, dlerror: "could not read the new version to load it")
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o500)
        guard descriptor >= 0 else {
            throw .cannotOpen(file, dlerror: "could not create its private copy \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            throw .cannotOpen(file, dlerror: "could not write its private copy \(path)")
        }
        return path
    }

    private static func makeDirectory(in parent: String, for file: String) throws(PluginLoadError) -> String {
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw .cannotOpen(file, dlerror: "could not create \(parent) for plugin copies: \(error)")
        }
        var template = Array("\(parent)/plugin-copies-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw .cannotOpen(file, dlerror: "mkdtemp in \(parent) failed: \(String(cString: strerror(errno)))")
        }
        return String(cString: made)
    }
}
