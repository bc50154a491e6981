public import Hummingbird
public import LeopostCore
import NIOCore

/// `GET /`: the web chat, one HTML page with its script inline (no build step, no outside
/// assets), so `make run` gives a working chat at the printed address.
public enum ChatPage {
    /// Adds the page to the router.
    public static func register(on router: Router<GatewayContext>) {
        let page = ByteBuffer(string: html)
        router.get("/") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [
                    .contentType: "text/html; charset=utf-8", .cacheControl: "no-cache",
                    // The page loads nothing from elsewhere and is not to be framed.
                    .contentSecurityPolicy: "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; frame-ancestors 'none'",
                ],
                body: .init(byteBuffer: page)
            )
        }
    }
}
