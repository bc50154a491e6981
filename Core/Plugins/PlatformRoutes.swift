public import Hummingbird

/// `GET /v1/platforms`: the loaded platform plugins and what each can do, so a client offers only
/// platforms that exist and checks a post's length before drafting it.
public struct PlatformRoutes: Sendable {
    private let registry: PluginRegistry

    /// Creates the routes.
    public init(registry: PluginRegistry) {
        self.registry = registry
    }

    struct Platform: Encodable {
        let name: String
        let version: String
        let abi: String
        let manifest: PluginManifest
    }

    /// The routes, relative to `/v1`, mounted behind the tenant authenticator.
    public var routes: RouteCollection<GatewayContext> {
        let routes = RouteCollection(context: GatewayContext.self)
        routes.get("platforms") { _, context -> Response in
            _ = try context.requireIdentity()
            let platforms = registry.plugins.map { Platform(name: $0.name, version: $0.version, abi: $0.abiVersion, manifest: $0.manifest) }
            return try JSONBody.response(["platforms": platforms])
        }
        return routes
    }
}
