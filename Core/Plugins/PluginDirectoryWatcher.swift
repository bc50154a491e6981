public import ServiceLifecycle

/// Scans the plugin directory periodically, so a library dropped in while Leopost runs is picked
/// up without a restart (DESIGN §4). A poll rather than inotify: it works on every file system
/// (network mounts, container volumes) and a few `stat` calls every two seconds cost nothing.
public struct PluginDirectoryWatcher: Service {
    private let registry: PluginRegistry
    private let interval: Duration

    /// Creates a watcher of `registry`'s directory.
    public init(registry: PluginRegistry, interval: Duration = .seconds(2)) {
        self.registry = registry
        self.interval = interval
    }

    /// Scans until graceful shutdown.
    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                registry.scan()
            }
        }
    }
}
