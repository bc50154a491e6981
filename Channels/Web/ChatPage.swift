import Foundation
public import Hummingbird
public import LeopostCore
import NIOCore

/// `GET /` and `GET /chat/…`: the web chat, plain files in `Channels/Web/Resources` (HTML, CSS
/// and one ES module per concern of the script, no framework and no build step), shipped as
/// SwiftPM resources and read once at start-up.
///
/// Every file carries an `ETag` (its SHA-256) and `Cache-Control: no-cache`, so a browser
/// revalidates with `If-None-Match` and gets `304` until the file changes. The Content-Security-
/// Policy allows scripts and styles only from Leopost itself: no `'unsafe-inline'`, nothing
/// from elsewhere, no framing.
public enum ChatPage {
    /// What the page may load and do.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    /// One file of the page, ready to send.
    struct Asset: Sendable {
        let body: ByteBuffer
        let contentType: String
        let etag: String
    }

    /// The page's routes, public: `/` and `/chat/…`.
    public static var routes: RouteCollection<GatewayContext> {
        let assets = Self.assets
        let routes = RouteCollection(context: GatewayContext.self)
        routes.get("/") { request, _ -> Response in
            respond(assets["index.html"]!, to: request)
        }
        routes.get("/chat/**") { request, _ -> Response in
            guard let asset = assets[String(request.uri.path.dropFirst("/chat/".count))] else { throw APIError.notFound("no such file") }
            return respond(asset, to: request)
        }
        return routes
    }

    /// The files, by path below the resources directory (`index.html`, `js/main.js`).
    static let assets: [String: Asset] = {
        guard let root = Bundle.module.url(forResource: "Resources", withExtension: nil),
            let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        else { preconditionFailure("the chat page's resources are missing from the build (Channels/Web/Resources)") }
        var assets: [String: Asset] = [:]
        let prefix = root.standardizedFileURL.path + "/"
        for case let file as URL in walker {
            guard let type = contentTypes[file.pathExtension], let bytes = FileManager.default.contents(atPath: file.path) else { continue }
            let path = String(file.standardizedFileURL.path.dropFirst(prefix.count))
            assets[path] = Asset(body: ByteBuffer(bytes: bytes), contentType: type, etag: "\"\(SHA256.hexDigest(Array(bytes)).prefix(32))\"")
        }
        guard assets["index.html"] != nil else { preconditionFailure("Channels/Web/Resources/index.html is missing from the build") }
        return assets
    }()

    static let contentTypes = [
        "html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8",
    ]

    static func respond(_ asset: Asset, to request: Request) -> Response {
        var headers: HTTPFields = [
            .eTag: asset.etag, .cacheControl: "no-cache", .contentSecurityPolicy: contentSecurityPolicy, .xContentTypeOptions: "nosniff",
        ]
        if request.headers[.ifNoneMatch] == asset.etag { return Response(status: .notModified, headers: headers) }
        headers[.contentType] = asset.contentType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: asset.body))
    }
}
