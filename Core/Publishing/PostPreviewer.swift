import Foundation

/// Measures a post against each target platform's manifest: text limit (as the platform counts
/// it), media kinds, required media, and the plugin's own `validate` when it has one. Nothing is
/// ever truncated: a problem is reported for a person to fix.
public struct PostPreviewer: Sendable {
    private let registry: PluginRegistry

    /// Creates a previewer over the loaded plugins.
    public init(registry: PluginRegistry) {
        self.registry = registry
    }

    /// The preview of `text` and `media` for `plugin`.
    public func preview(text: String, media: [PostMedia], for plugin: LoadedPlugin) async -> PostPreview {
        let manifest = plugin.manifest
        let length = PostLength.measure(text, rules: manifest.text)
        var problems: [String] = []
        if length > manifest.text.limit {
            problems.append(
                "too long for \(plugin.name): \(length) of \(manifest.text.limit) \(Self.unit(manifest.text.counting)); shorten it by \(length - manifest.text.limit)"
            )
        }
        for item in media where !manifest.media.contains(item.kind) {
            problems.append(
                "\(plugin.name) cannot attach \(item.kind) (it takes \(manifest.media.isEmpty ? "no media" : manifest.media.joined(separator: ", ")))"
            )
        }
        if manifest.mediaRequired == true && media.isEmpty {
            problems.append("\(plugin.name) needs an image or a video")
        }
        if problems.isEmpty, plugin.hasValidate, let extra = await validate(text: text, media: media, plugin: plugin) {
            problems.append(contentsOf: extra)
        }
        return PostPreview(length: length, limit: manifest.text.limit, counting: manifest.text.counting.rawValue, problems: problems)
    }

    private struct ValidateAnswer: Decodable {
        let problems: [String]?
    }

    private func validate(text: String, media: [PostMedia], plugin: LoadedPlugin) async -> [String]? {
        struct Request: Encodable {
            let text: String
            let media: [PostMedia]
        }
        guard let json = try? JSONCoding.encoder.encode(Request(text: text, media: media)) else { return nil }
        let result = await registry.call(plugin, .validate, request: String(decoding: json, as: UTF8.self), baseURL: nil)
        guard result.code == .ok else { return ["\(plugin.name) could not check the post: \(result.message)"] }
        return (try? JSONCoding.decoder.decode(ValidateAnswer.self, from: Data(result.json.utf8)))?.problems
    }

    private static func unit(_ counting: PluginManifest.Counting) -> String {
        switch counting {
        case .characters: "characters"
        case .utf16: "UTF-16 code units"
        case .weighted: "weighted characters (URLs count 23)"
        }
    }
}
