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

    /// The preview of `text` and `media` for `plugin`. A plugin with its own `validate` measures
    /// the text itself (it knows its platform's counting best, such as X's link and emoji rules);
    /// otherwise the manifest's counting rule does.
    public func preview(text: String, media: [PostMedia], for plugin: LoadedPlugin) async -> PostPreview {
        let manifest = plugin.manifest
        let checked = plugin.hasValidate ? await validate(text: text, media: media, plugin: plugin) : nil
        let length = checked?.length ?? PostLength.measure(text, rules: manifest.text)
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
        // The plugin's own problems, when the manifest's checks found none (its length problem
        // would repeat the one above).
        if problems.isEmpty, let checked { problems = checked.problems.map { "\(plugin.name): \($0)" } }
        return PostPreview(length: length, limit: manifest.text.limit, counting: manifest.text.counting.rawValue, problems: problems)
    }

    private struct ValidateAnswer: Decodable {
        var length: Int?
        var problems: [String]
    }

    private func validate(text: String, media: [PostMedia], plugin: LoadedPlugin) async -> ValidateAnswer? {
        struct Request: Encodable {
            let text: String
            let media: [PostMedia]
        }
        guard let json = try? JSONCoding.encoder.encode(Request(text: text, media: media)) else { return nil }
        let result = await registry.call(plugin, .validate, request: String(decoding: json, as: UTF8.self), baseURL: nil)
        guard result.code == .ok else { return ValidateAnswer(length: nil, problems: ["could not check the post: \(result.message)"]) }
        return try? JSONCoding.decoder.decode(ValidateAnswer.self, from: Data(result.json.utf8))
    }

    private static func unit(_ counting: PluginManifest.Counting) -> String {
        switch counting {
        case .characters: "characters"
        case .utf16: "UTF-16 code units"
        case .weighted: "weighted characters (URLs count 23)"
        }
    }
}
