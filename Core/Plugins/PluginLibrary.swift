import CLeopostPlatform
import Foundation
import Logging

/// Opens one plugin library and checks it against the ABI, in the order PostgreSQL's and
/// Nginx's loaders do: the entry symbol, the magic, the major version, the descriptor's fields,
/// the manifest. The first failure refuses the library with a ``PluginLoadError`` naming the file.
enum PluginLibrary {
    /// Loads and checks the library at `file`. `loadAs` is the path actually opened (a private
    /// copy, when a new version of an already loaded file is loaded beside the old one).
    static func load(_ file: String, loadAs path: String? = nil, logger: Logger) throws(PluginLoadError) -> LoadedPlugin {
        // RTLD_NOW: a missing symbol is found here, not at the first call (which would kill the
        // process). RTLD_LOCAL: two plugins' copies of the same Swift module stay apart.
        guard let handle = dlopen(path ?? file, RTLD_NOW | RTLD_LOCAL) else {
            throw .cannotOpen(file, dlerror: lastError())
        }
        // Refused libraries stay mapped: a Swift library's initializers may have run, and closing
        // it is not safe. The cost is one mapping per refused file version.
        guard let symbol = dlsym(handle, LP_ENTRY_SYMBOL) else {
            throw .missingEntry(file, dlerror: lastError())
        }
        let entry = unsafeBitCast(symbol, to: lp_platform_entry.self)
        let context = PluginCallContext(
            plugin: URL(fileURLWithPath: file).lastPathComponent, allowedOrigins: [], http: nil, logger: logger, defaultTimeout: .seconds(1))
        guard let descriptor = PluginHostServices.withTable(for: context, { entry($0) }) else {
            throw .noDescriptor(file, hostMinor: Int(LP_ABI_MINOR))
        }
        return try check(descriptor, file: file)
    }

    private static func check(_ descriptor: UnsafePointer<lp_platform_descriptor>, file: String) throws(PluginLoadError) -> LoadedPlugin {
        let d = descriptor.pointee
        guard d.magic == LP_DESCRIPTOR_MAGIC else { throw .badMagic(file, found: d.magic) }
        guard d.abi_major == LP_ABI_MAJOR else {
            throw .abiMismatch(file, major: Int(d.abi_major), minor: Int(d.abi_minor), hostMinor: Int(LP_ABI_MINOR))
        }
        // A library of a newer minor than the host's may use fields the host does not know: its
        // struct is larger, and the host reads only what it knows. An older minor must still
        // carry every field of ABI 1.0.
        guard d.struct_size >= UInt32(MemoryLayout<lp_platform_descriptor>.size) else {
            throw .invalidDescriptor(file, "struct_size \(d.struct_size) is smaller than ABI 1.0's \(MemoryLayout<lp_platform_descriptor>.size)")
        }
        guard let namePointer = d.name else { throw .invalidDescriptor(file, "name is NULL") }
        let name = String(cString: namePointer)
        guard isValidName(name) else {
            throw .invalidDescriptor(file, "name \"\(name)\" must be 1 to 32 lower-case letters, digits, '-' or '_'")
        }
        guard d.publish != nil else { throw .invalidDescriptor(file, "publish is NULL") }
        guard d.check_status != nil else { throw .invalidDescriptor(file, "check_status is NULL (an unknown outcome could never be reconciled)") }
        guard d.free_result != nil else { throw .invalidDescriptor(file, "free_result is NULL") }
        guard let manifestPointer = d.manifest_json else { throw .invalidManifest(file, "manifest_json is NULL") }
        let manifest: PluginManifest
        do { manifest = try PluginManifest.parse(String(cString: manifestPointer)) } catch {
            throw .invalidManifest(file, error.message)
        }
        let version = d.version.map { String(cString: $0) } ?? "unknown"
        return LoadedPlugin(file: file, descriptor: descriptor, name: name, version: version, manifest: manifest)
    }

    private static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 32
            && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
    }

    private static func lastError() -> String {
        dlerror().map { String(cString: $0) } ?? "no reason given"
    }
}
