import Foundation

/// A platform adapter written in Swift: one small type per platform, turned into a loadable
/// plugin by ``PluginExport``.
///
/// The kit speaks the C ABI of `leopost_platform.h` so a plugin never has to: requests arrive
/// decoded, answers leave as ``PluginOutcome``s, and the host's services (HTTP limited to the
/// manifest's hosts, log, clock, HMAC) are a ``PluginHost``. A plugin keeps no state between
/// calls; calls may run on several threads at once.
///
/// ```swift
/// struct EchoPlatform: PlatformPlugin {
///     static let name = "echo"
///     static let version = "1.0.0"
///     static let manifest = #"{"platform": "Echo", "text": {"limit": 280}, "hosts": []}"#
///     func publish(_ request: PublishRequest, host: PluginHost) -> PluginOutcome {
///         .ok(PublishAnswer(remoteID: request.idempotencyKey))
///     }
///     func checkStatus(_ request: StatusRequest, host: PluginHost) -> PluginOutcome { .ok(StatusAnswer.notFound) }
/// }
/// ```
public protocol PlatformPlugin: Sendable {
    /// The platform's lower-case name, unique among loaded plugins ("mastodon").
    static var name: String { get }
    /// The plugin's own version, shown by `leopost plugins list`.
    static var version: String { get }
    /// The manifest JSON (limits, media, hosts, rate limits, OAuth), as `leopost_platform.h` describes it.
    static var manifest: String { get }

    /// Makes the plugin; called once per load.
    init()

    /// Posts `request` to the platform. Answer ``PublishAnswer`` on success.
    func publish(_ request: PublishRequest, host: PluginHost) -> PluginOutcome

    /// Finds out whether a publish whose outcome is unknown reached the platform.
    /// Answer ``StatusAnswer``: published (with the remote id) or not found (safe to publish again).
    func checkStatus(_ request: StatusRequest, host: PluginHost) -> PluginOutcome

    /// Checks beyond the manifest's limits; `nil` when the plugin has none (the default).
    func validate(_ request: ValidateRequest, host: PluginHost) -> PluginOutcome?
}

extension PlatformPlugin {
    /// No checks beyond the manifest.
    public func validate(_ request: ValidateRequest, host: PluginHost) -> PluginOutcome? { nil }
}
