public import Foundation

/// Plugin libraries for tests: the shipped Swift plugins as `swift build` left them, the plain-C
/// example and the loader's fixtures compiled here with `cc`, each copied into a temporary
/// directory that a test loads as its `LEOPOST_PLUGIN_DIR`.
public enum PluginFixtures {
    /// The repository's root.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Where `swift build` put the shipped plugins: beside the test bundle.
    public static var buildDirectory: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// The shipped Swift plugins, by product name.
    public static let swiftPlugins = ["Mastodon", "X", "LinkedIn", "Meta", "Webhook"]

    /// A new directory holding the named shipped plugins (and the C example when `discord`).
    public static func directory(swift plugins: [String] = swiftPlugins, discord: Bool = true) throws -> String {
        let directory = try TestEnvironment.temporaryDirectory()
        for name in plugins {
            let file = "libLeopostPlatform\(name).so"
            let source = buildDirectory.appendingPathComponent(file)
            guard FileManager.default.fileExists(atPath: source.path) else {
                throw TestEnvironmentError(message: "\(source.path) is missing: build the plugins with `swift build --build-tests` first")
            }
            try FileManager.default.copyItem(atPath: source.path, toPath: "\(directory)/\(file)")
        }
        if discord {
            try compile(
                root.appendingPathComponent("Platforms/Plugins/ExampleC/discord_platform.c").path, to: "\(directory)/libLeopostPlatformDiscord.so")
        }
        return directory
    }

    /// Compiles the loader fixture with `flags` into `directory/name`; returns the library's path.
    @discardableResult
    public static func fixture(_ name: String, in directory: String, flags: [String] = []) throws -> String {
        let path = "\(directory)/\(name)"
        try compile(root.appendingPathComponent("Tests/PlatformsTests/Fixtures/fixture_plugin.c").path, to: path, flags: flags)
        return path
    }

    /// `cc -shared -fPIC` against the ABI header, into a temporary name then renamed into place,
    /// so a watcher never sees a half-written library.
    public static func compile(_ source: String, to path: String, flags: [String] = []) throws {
        let partial = path + ".partial"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["cc", "-std=c99", "-O1", "-shared", "-fPIC", "-I", root.appendingPathComponent("Platforms/include").path] + flags + [
                "-o", partial, source,
            ]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw TestEnvironmentError(message: "cc failed for \(source): \(text)")
        }
        try FileManager.default.moveItem(atPath: partial, toPath: path)
    }
}
