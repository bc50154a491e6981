import Foundation
import Logging

/// What one plugin call may do through the host: the origins it may reach (its manifest's hosts
/// plus the base URL the host chose for the call), and where its log lines go.
///
/// The host's services table carries it as its `context`, so every service call knows which
/// plugin and which call it serves; nothing about the call lives in a global.
final class PluginCallContext: Sendable {
    let plugin: String
    let allowedOrigins: Set<PluginOrigin>
    /// The operator's override of the platform's address (`LEOPOST_PLATFORM_<NAME>_BASE_URL`), the
    /// one origin calls to which skip the egress guard; every other call passes it.
    let operatorOrigin: PluginOrigin?
    /// `nil` while the library loads: the entry point may not call out.
    let http: HTTPClient?
    let logger: Logger
    /// Applied when the plugin passes 0; a platform that does not answer in this time is treated
    /// as "sent, no answer".
    let defaultTimeout: Duration

    init(
        plugin: String, allowedOrigins: Set<PluginOrigin>, operatorOrigin: PluginOrigin? = nil, http: HTTPClient?, logger: Logger,
        defaultTimeout: Duration
    ) {
        self.plugin = plugin
        self.allowedOrigins = allowedOrigins
        self.operatorOrigin = operatorOrigin
        self.http = http
        var logger = logger
        logger[metadataKey: LogKey.plugin] = "\(plugin)"
        self.logger = logger
        self.defaultTimeout = defaultTimeout
    }
}
