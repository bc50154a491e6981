public import Foundation
public import Logging
import NIOPosix
import Synchronization

/// The platform plugins this process has loaded, by name, and the libraries it refused.
///
/// `scan()` loads every `*.so` in the plugin directory that is new or changed since the last
/// scan; ``PluginDirectoryWatcher`` calls it periodically, so a library dropped in while Leopost
/// runs is picked up without a restart. A refused library is logged with its reason and the
/// others keep working. A changed file is loaded as a new version beside the old one, which stays
/// mapped (a Swift library is never unloaded) but is no longer called.
///
/// Plugin calls block (the ABI is synchronous), so they run on the registry's own threads, never
/// on Swift's cooperative pool.
public final class PluginRegistry: Sendable {
    /// Where plugins come from and how they are called.
    public struct Configuration: Sendable {
        /// The directory scanned for `*.so` libraries.
        public var directory: String
        /// Plugin calls that may run at once (each holds a thread while it waits on the platform).
        public var callThreads: Int
        /// How long a platform call may take when the plugin does not say.
        public var httpTimeout: Duration
        /// Operator overrides of a platform's API address, by plugin name (tests and proxies).
        public var baseURLOverrides: [String: String]
        /// Where the private directory for copies of reloaded libraries is made (the data directory).
        public var copiesParent: String

        /// Creates a configuration.
        public init(
            directory: String, callThreads: Int = 16, httpTimeout: Duration = .seconds(30), baseURLOverrides: [String: String] = [:],
            copiesParent: String = NSTemporaryDirectory()
        ) {
            self.directory = directory
            self.callThreads = callThreads
            self.httpTimeout = httpTimeout
            self.baseURLOverrides = baseURLOverrides
            self.copiesParent = copiesParent
        }
    }

    /// What one scan did.
    public struct ScanReport: Sendable {
        /// Libraries loaded by this scan.
        public var loaded: [LoadedPlugin] = []
        /// Libraries refused by this scan, each with its reason.
        public var refused: [PluginLoadError] = []
    }

    private struct FileIdentity: Equatable {
        var device: UInt64
        var inode: UInt64
        var modified: Int
        var size: Int64
    }

    private struct State {
        var byName: [String: LoadedPlugin] = [:]
        var seen: [String: FileIdentity] = [:]
        var refused: [String: PluginLoadError] = [:]
        var opened: Set<String> = []
    }

    /// The configuration read at start-up.
    public let configuration: Configuration
    private let state = Mutex(State())
    private let threads: NIOThreadPool
    private let http: HTTPClient
    private let logger: Logger
    private let copies: PluginCopies

    /// Creates an empty registry; call `scan()` to load the directory.
    public init(configuration: Configuration, http: HTTPClient, logger: Logger) {
        self.configuration = configuration
        self.copies = PluginCopies(parent: configuration.copiesParent)
        self.http = http
        self.logger = logger
        self.threads = NIOThreadPool(numberOfThreads: max(1, configuration.callThreads))
        threads.start()
    }

    deinit {
        threads.shutdownGracefully { _ in }
    }

    /// The loaded plugins, by name.
    public var plugins: [LoadedPlugin] {
        state.withLock { $0.byName.values.sorted { $0.name < $1.name } }
    }

    /// The plugin serving `name`, if loaded.
    public func plugin(named name: String) -> LoadedPlugin? {
        state.withLock { $0.byName[name] }
    }

    /// "loaded: mastodon, x", for messages that refuse an unknown platform name.
    public var loadedDescription: String {
        let names = plugins.map(\.name)
        return names.isEmpty ? "no platform plugins are loaded" : "loaded: \(names.joined(separator: ", "))"
    }

    /// Libraries currently refused (until they change), each with its reason.
    public var refusals: [PluginLoadError] {
        state.withLock { $0.refused.values.sorted { $0.file < $1.file } }
    }

    /// Loads the directory's new and changed libraries.
    @discardableResult
    public func scan() -> ScanReport {
        var report = ScanReport()
        let directory = URL(fileURLWithPath: configuration.directory)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names.sorted() where name.hasSuffix(".so") {
            let file = directory.appendingPathComponent(name).path
            guard let identity = Self.identity(of: file), state.withLock({ $0.seen[file] != identity }) else { continue }
            do {
                let plugin = try load(file, identity: identity)
                report.loaded.append(plugin)
                logger.info(
                    "platform plugin loaded",
                    metadata: [LogKey.plugin: "\(plugin.name)", LogKey.pluginVersion: "\(plugin.version)", LogKey.pluginFile: "\(file)"])
            } catch {
                state.withLock {
                    $0.seen[file] = identity
                    $0.refused[file] = error
                }
                report.refused.append(error)
                logger.error("platform plugin refused: \(error)")
            }
        }
        return report
    }

    /// Opens and checks one library without registering it (`leopost plugins check FILE`).
    public static func check(file: String, logger: Logger) throws(PluginLoadError) -> LoadedPlugin {
        try PluginLibrary.load(file, logger: logger)
    }

    private func load(_ file: String, identity: FileIdentity) throws(PluginLoadError) -> LoadedPlugin {
        // dlopen returns the library already mapped under the same path, even if the file was
        // replaced since; a new version is therefore opened through a private copy.
        let reopened = state.withLock { $0.opened.contains(file) }
        let path = reopened ? try copies.copy(file) : file
        let plugin = try PluginLibrary.load(file, loadAs: path, logger: logger)
        try state.withLock { state throws(PluginLoadError) in
            state.opened.insert(file)
            if let existing = state.byName[plugin.name], existing.file != file, FileManager.default.fileExists(atPath: existing.file) {
                throw .duplicateName(file, name: plugin.name, loadedFrom: existing.file)
            }
            state.byName[plugin.name] = plugin
            state.seen[file] = identity
            state.refused[file] = nil
        }
        return plugin
    }

    private static func identity(of file: String) -> FileIdentity? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
            attributes[.type] as? FileAttributeType == .typeRegular
        else { return nil }
        return FileIdentity(
            device: (attributes[.systemNumber] as? NSNumber)?.uint64Value ?? 0,
            inode: (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0,
            modified: Int(((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0) * 1_000_000),
            size: (attributes[.size] as? NSNumber)?.int64Value ?? 0)
    }

    /// The API address a call to `plugin` uses: the operator's override, else the account's own
    /// (when the manifest lets accounts name one), else the manifest's.
    public func baseURL(for plugin: LoadedPlugin, account: String?) -> String? {
        if let override = configuration.baseURLOverrides[plugin.name] { return override }
        if plugin.manifest.accountBaseURL == true, let account, !account.isEmpty { return account }
        return plugin.manifest.baseURL
    }

    /// Calls `function` of `plugin` on a registry thread. The plugin may reach the manifest's
    /// hosts and the origin of `baseURL`, nothing else, and every call but those to the operator's
    /// override passes the egress guard (an account's `base_url` is the tenant's).
    public func call(_ plugin: LoadedPlugin, _ function: LoadedPlugin.Function, request: String, baseURL: String?) async -> PluginCallResult {
        var origins = Set(plugin.manifest.hosts.compactMap(PluginOrigin.init(url:)))
        if let baseURL, let origin = PluginOrigin(url: baseURL) { origins.insert(origin) }
        let context = PluginCallContext(
            plugin: plugin.name, allowedOrigins: origins,
            operatorOrigin: configuration.baseURLOverrides[plugin.name].flatMap(PluginOrigin.init(url:)), http: http, logger: logger,
            defaultTimeout: configuration.httpTimeout)
        do {
            return try await threads.runIfActive { plugin.call(function, request: request, context: context) }
        } catch {
            return PluginCallResult(
                code: .retryAfter, retryAfter: .seconds(5), json: #"{"message":"Leopost is shutting down; the call was not made"}"#)
        }
    }
}
