public import CLeopostPlatform
import LeopostPluginKit

/// The plugin's one exported symbol (see leopost_platform.h).
@_cdecl("leopost_platform_entry")
public func leopostPlatformEntry(_ host: UnsafePointer<lp_host_api>?) -> UnsafePointer<lp_platform_descriptor>? {
    PluginExport.descriptor(for: WebhookPlatform.self, host: host)
}
