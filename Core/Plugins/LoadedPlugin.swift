import CLeopostPlatform
import Foundation

/// A platform plugin library Leopost has loaded and checked: its name, version, manifest and
/// the descriptor through which it is called.
///
/// Never unloaded (DESIGN §4: a Swift library cannot be safely closed); a new version is loaded
/// beside the old one and takes its place in the ``PluginRegistry``.
public final class LoadedPlugin: @unchecked Sendable {
    // @unchecked: the descriptor is immutable and owned by the library, which stays mapped for
    // the life of the process; the plugin's functions are thread-safe by the ABI's rules.

    /// The platform's name ("mastodon").
    public let name: String
    /// The plugin's own version.
    public let version: String
    /// The library's path.
    public let file: String
    /// The ABI version the library was built with ("1.0").
    public let abiVersion: String
    /// What the plugin declares about its platform.
    public let manifest: PluginManifest
    /// Whether the plugin has its own `validate`.
    public let hasValidate: Bool

    private let descriptor: UnsafePointer<lp_platform_descriptor>

    init(file: String, descriptor: UnsafePointer<lp_platform_descriptor>, name: String, version: String, manifest: PluginManifest) {
        self.file = file
        self.descriptor = descriptor
        self.name = name
        self.version = version
        self.manifest = manifest
        self.abiVersion = "\(descriptor.pointee.abi_major).\(descriptor.pointee.abi_minor)"
        self.hasValidate = descriptor.pointee.validate != nil
    }

    /// The plugin functions the host calls.
    public enum Function: String, Sendable {
        /// Post.
        case publish
        /// Find out whether an unknown outcome was posted.
        case checkStatus = "check_status"
        /// Check a post beyond the manifest's limits.
        case validate
    }

    /// The largest result JSON the host reads from a plugin.
    static let maxResultBytes = 1 << 20

    /// Calls `function` with `request` and waits (blocking): run it on a thread that may block.
    /// A result that breaks the ABI's rules (an unknown code, JSON that does not parse) becomes a
    /// refusal naming the plugin, never a crash of the host.
    func call(_ function: Function, request: String, context: PluginCallContext) -> PluginCallResult {
        let entry: lp_platform_call? =
            switch function {
            case .publish: descriptor.pointee.publish
            case .checkStatus: descriptor.pointee.check_status
            case .validate: descriptor.pointee.validate
            }
        guard let entry else { return .refused("the \(name) plugin has no \(function.rawValue)") }
        var result = lp_call_result()
        result.struct_size = UInt32(MemoryLayout<lp_call_result>.size)
        PluginHostServices.withTable(for: context) { table in
            entry(descriptor.pointee.plugin_context, table, request, &result)
        }
        // Read at most the limit: a result is a small JSON object, and a runaway plugin must not
        // have the host copy (and parse) whatever it allocated.
        let length = result.json.map { strnlen($0, Self.maxResultBytes + 1) } ?? 0
        let json = length > Self.maxResultBytes ? nil : result.json.map { String(cString: $0) }
        if let pointer = result.json { descriptor.pointee.free_result(descriptor.pointee.plugin_context, pointer) }
        guard length <= Self.maxResultBytes else {
            return .refused("the \(name) plugin returned more than \(Self.maxResultBytes) bytes from \(function.rawValue)")
        }
        guard let code = PluginResultCode(rawValue: result.code) else {
            return .refused("the \(name) plugin returned an unknown result code \(result.code) from \(function.rawValue)")
        }
        guard let json, (try? JSONSerialization.jsonObject(with: Data(json.utf8))) is [String: Any] else {
            return .refused("the \(name) plugin returned \(json == nil ? "no JSON" : "invalid JSON") from \(function.rawValue)")
        }
        return PluginCallResult(code: code, retryAfter: .seconds(Int64(result.retry_after_seconds)), json: json)
    }
}
