import Dispatch
import Synchronization

extension PolicyParser {
    /// ``parse(_:rules:)`` for a document that just arrived from a tenant: on a thread of its own,
    /// never on Swift's cooperative pool (where a long parse would stop every route, health checks
    /// included), and given up after `limit` with a refusal. ``PolicyDocumentScan`` bounds the work
    /// already; the limit is the second wall.
    public static func parseDetached(_ text: String, rules: Rules, limit: Duration = .seconds(2)) async throws -> RoutingPolicy {
        let resumed = Mutex(false)
        let outcome: Result<RoutingPolicy, any Error> = await withCheckedContinuation { continuation in
            let finish = { @Sendable (result: Result<RoutingPolicy, any Error>) in
                let first = resumed.withLock { done in
                    defer { done = true }
                    return !done
                }
                if first { continuation.resume(returning: result) }
            }
            DispatchQueue.global().async {
                finish(Result { try parse(text, rules: rules) })
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(limit.components.seconds * 1000))) {
                finish(
                    .failure(
                        PolicyValidationError(issues: [
                            PolicyIssue(
                                line: 1, column: 1, field: "(document)", message: "the document took longer than \(limit) to read; simplify it")
                        ])))
            }
        }
        return try outcome.get()
    }
}
