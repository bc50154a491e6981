import LeopostCore
import Logging

/// The stages this build can run, by the name `leopost worker --stages` uses.
///
/// Each entry makes the stage's worker from the process's shared clients. Stages arrive with the
/// features that need them (router, delivery, publish, scheduler); the foundation ships none.
struct StageCatalog {
    struct Clients {
        let redis: RedisClient
        let postgres: PostgresPool
        let http: HTTPClient
        let logger: Logger
    }

    typealias Factory = @Sendable (Clients) -> StageWorker

    static let all: [String: Factory] = [:]

    /// The workers for `names`, or a failure naming the unknown ones.
    static func workers(_ names: [String], clients: Clients) throws -> [StageWorker] {
        let unknown = names.filter { all[$0] == nil }
        guard unknown.isEmpty else {
            let known = all.keys.sorted()
            throw CommandFailure(
                "unknown stage \(unknown.joined(separator: ", ")); this build has \(known.isEmpty ? "no stages yet" : known.joined(separator: ", "))"
            )
        }
        return names.compactMap { all[$0]?(clients) }
    }
}
