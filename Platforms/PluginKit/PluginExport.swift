public import CLeopostPlatform
import Foundation

/// Turns a ``PlatformPlugin`` into the descriptor the C ABI expects. A Swift plugin's whole
/// export is one function:
///
/// ```swift
/// @_cdecl("leopost_platform_entry")
/// public func leopostPlatformEntry(_ host: UnsafePointer<lp_host_api>?) -> UnsafePointer<lp_platform_descriptor>? {
///     PluginExport.descriptor(for: MastodonPlatform.self, host: host)
/// }
/// ```
///
/// The descriptor and the plugin value are allocated once per entry call and never freed: the
/// host calls the entry once per load and never unloads a Swift library, so they live exactly as
/// long as they can be used. The plugin value travels as the descriptor's `plugin_context`, so the
/// C function pointers capture nothing and no global state is needed.
public enum PluginExport {
    /// The descriptor for `plugin`, or `nil` when the host's ABI is not the one this kit speaks.
    public static func descriptor<Plugin: PlatformPlugin>(
        for plugin: Plugin.Type, host: UnsafePointer<lp_host_api>?
    ) -> UnsafePointer<lp_platform_descriptor>? {
        guard let host, host.pointee.abi_major == LP_ABI_MAJOR,
            host.pointee.struct_size >= UInt32(MemoryLayout<lp_host_api>.size)
        else { return nil }
        return descriptor(for: Plugin(), name: Plugin.name, version: Plugin.version, manifest: Plugin.manifest)
    }

    /// Builds the descriptor outside any generic context: a C function pointer may capture
    /// nothing, not even the generic parameter of the function it is written in.
    private static func descriptor(
        for plugin: any PlatformPlugin, name: String, version: String, manifest: String
    ) -> UnsafePointer<lp_platform_descriptor> {
        let box = Unmanaged.passRetained(PluginBox(plugin)).toOpaque()
        let descriptor = UnsafeMutablePointer<lp_platform_descriptor>.allocate(capacity: 1)
        descriptor.initialize(
            to: lp_platform_descriptor(
                magic: LP_DESCRIPTOR_MAGIC,
                struct_size: UInt32(MemoryLayout<lp_platform_descriptor>.size),
                abi_major: UInt16(LP_ABI_MAJOR),
                abi_minor: UInt16(LP_ABI_MINOR),
                reserved: 0,
                name: UnsafePointer(strdup(name)),
                version: UnsafePointer(strdup(version)),
                manifest_json: UnsafePointer(strdup(manifest)),
                plugin_context: box,
                publish: { context, host, request, result in
                    PluginExport.call(context, host, request, result) { plugin, json, host in
                        plugin.publish(try PluginExport.decode(PublishRequest.self, json), host: host)
                    }
                },
                check_status: { context, host, request, result in
                    PluginExport.call(context, host, request, result) { plugin, json, host in
                        plugin.checkStatus(try PluginExport.decode(StatusRequest.self, json), host: host)
                    }
                },
                validate: { context, host, request, result in
                    PluginExport.call(context, host, request, result) { plugin, json, host in
                        plugin.validate(try PluginExport.decode(ValidateRequest.self, json), host: host)
                            ?? .ok(ValidateAnswer(length: 0, problems: []))
                    }
                },
                analytics: nil,
                free_result: { _, json in free(json) }
            )
        )
        return UnsafePointer(descriptor)
    }

    /// Decodes a request, turning a decoding failure into a bad request that names the field.
    private static func decode<T: Decodable>(_ type: T.Type, _ json: Data) throws -> T {
        do { return try JSONDecoder().decode(T.self, from: json) } catch let error as DecodingError {
            throw RequestError(message: "the host's request is not what this plugin expects: \(error.fieldDescription)")
        }
    }

    /// Runs one call: recovers the plugin from its context, decodes, runs, and writes the result.
    private static func call(
        _ context: UnsafeMutableRawPointer?,
        _ host: UnsafePointer<lp_host_api>?,
        _ request: UnsafePointer<CChar>?,
        _ result: UnsafeMutablePointer<lp_call_result>?,
        _ body: (any PlatformPlugin, Data, PluginHost) throws -> PluginOutcome
    ) {
        guard let result else { return }
        let outcome: PluginOutcome
        if let context, let host, let request {
            let plugin = Unmanaged<PluginBox>.fromOpaque(context).takeUnretainedValue().plugin
            let json = Data(bytes: request, count: strlen(request))
            do { outcome = try body(plugin, json, PluginHost(host)) } catch {
                outcome = .badRequest((error as? RequestError)?.message ?? "\(error)")
            }
        } else {
            outcome = .badRequest("the host called the plugin without a request")
        }
        write(outcome, to: result)
    }

    /// Fills `result` with `outcome`'s code and JSON (allocated with `malloc`, freed by `free_result`).
    private static func write(_ outcome: PluginOutcome, to result: UnsafeMutablePointer<lp_call_result>) {
        let code: Int32
        var retryAfter: UInt32 = 0
        let json: Data
        switch outcome {
        case .ok(let answer):
            code = LP_OK
            json = (try? JSONEncoder().encode(answer)) ?? Data("{}".utf8)
        case .retryAfter(let seconds, let message):
            code = LP_RETRY_AFTER
            retryAfter = seconds
            json = messageJSON(message)
        case .refreshToken(let message): (code, json) = (LP_REFRESH_TOKEN, messageJSON(message))
        case .badRequest(let message): (code, json) = (LP_BAD_REQUEST, messageJSON(message))
        case .disconnected(let message): (code, json) = (LP_DISCONNECTED, messageJSON(message))
        case .unknownOutcome(let message): (code, json) = (LP_UNKNOWN_OUTCOME, messageJSON(message))
        }
        result.pointee.code = code
        result.pointee.retry_after_seconds = retryAfter
        let buffer = malloc(json.count + 1)!.assumingMemoryBound(to: CChar.self)
        json.withUnsafeBytes { bytes in
            if let base = bytes.baseAddress { memcpy(buffer, base, bytes.count) }
        }
        buffer[json.count] = 0
        result.pointee.json = buffer
    }

    private static func messageJSON(_ message: String) -> Data {
        (try? JSONEncoder().encode(["message": message])) ?? Data(#"{"message":"unknown"}"#.utf8)
    }
}

/// Holds the plugin value behind the descriptor's `plugin_context`.
private final class PluginBox: Sendable {
    let plugin: any PlatformPlugin
    init(_ plugin: any PlatformPlugin) { self.plugin = plugin }
}

/// A request the plugin cannot read.
private struct RequestError: Error {
    let message: String
}

extension DecodingError {
    /// "field.path: what is wrong", for messages.
    var fieldDescription: String {
        func path(_ context: Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch self {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "\(parent.isEmpty ? "" : parent + ".")\(key.stringValue): missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(self)"
        }
    }
}
