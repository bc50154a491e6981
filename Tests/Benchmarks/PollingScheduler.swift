import LeopostCore
import ServiceLifecycle

/// The scheduler as it was before it waited for the next due time: `promoteDue` every 100 ms.
/// Only the bench runs it, as the same-run reference for the waiting scheduler's lateness.
struct PollingScheduler: Service {
    let scheduler: PostScheduler
    let interval: Duration

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await scheduler.promoteDue()
                try await Task.sleep(for: interval)
            }
        }
    }
}
