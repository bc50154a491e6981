import ArgumentParser
import Foundation
import LeopostCore

/// `leopost plugins list` · `leopost plugins check FILE`: what the plugin directory holds, and
/// whether one library would load, with the reason when it would not.
struct PluginsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins", abstract: "Platform plugins: list the plugin directory, or check one library.", subcommands: [List.self, Check.self]
    )

    /// Loads every library of the plugin directory, as the server would, and prints each with its
    /// capabilities or its refusal.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the plugins in LEOPOST_PLUGIN_DIR (default: beside leopost).")

        func run() async throws {
            let environment = try ProcessEnvironment.load()
            let directory = environment.configuration.pluginDirectory ?? Server.shippedPluginDirectory
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".so") }.sorted()
            print("plugin directory: \(directory)")
            if files.isEmpty { print("(no *.so libraries)") }
            for file in files {
                do {
                    let plugin = try PluginRegistry.check(file: "\(directory)/\(file)", logger: environment.logger)
                    print(Self.line(plugin))
                } catch {
                    print("refused  \(error)")
                }
            }
        }

        static func line(_ plugin: LoadedPlugin) -> String {
            let manifest = plugin.manifest
            var text = "\(plugin.name)  \(plugin.version)  ABI \(plugin.abiVersion)  \(manifest.platform)"
            text += "  text ≤ \(manifest.text.limit) \(manifest.text.counting.rawValue)"
            if !manifest.media.isEmpty { text += "  media: \(manifest.media.joined(separator: ","))" }
            return text + "  (\(URL(fileURLWithPath: plugin.file).lastPathComponent))"
        }
    }

    /// Checks one library against the ABI; exits non-zero with the reason when it would be refused.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check one library's ABI version, descriptor and manifest.")
        @Argument(help: "The shared library to check.") var file: String

        func run() async throws {
            let environment = try ProcessEnvironment.load()
            do {
                let plugin = try PluginRegistry.check(file: file, logger: environment.logger)
                print("ok  " + List.line(plugin))
            } catch {
                throw CommandFailure("\(error)")
            }
        }
    }
}
