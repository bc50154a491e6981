import Hummingbird
import Synchronization

/// A server that answers 200 to anything and remembers the paths it was asked for.
final class HitCounter: Sendable {
    private let recorded = Mutex<[String]>([])

    var paths: [String] { recorded.withLock { $0 } }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("**") { request, _ -> String in
            self.recorded.withLock { $0.append(request.uri.path) }
            return "ok"
        }
        return router
    }
}
