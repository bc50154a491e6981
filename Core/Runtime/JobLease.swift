import Synchronization

/// A worker's hold on one stream entry while its handler runs: revoked when the worker learns that
/// another consumer owns the entry now (its heartbeat found it reclaimed), or when the worker could
/// not renew its holds for a whole visibility timeout (another worker may have taken it meanwhile).
///
/// A revoked lease cancels the handler and keeps the worker from recording any outcome: the other
/// consumer runs the job, and one owner at a time is what keeps effects single.
final class JobLease: Sendable {
    private enum State {
        /// Held; the continuation of ``untilRevoked()`` waiting, if any.
        case held(CheckedContinuation<Void, Never>?)
        /// Revoked: the handler must stop.
        case revoked
        /// The wait was cancelled (the handler finished first).
        case released
    }

    private let state = Mutex<State>(.held(nil))

    /// True once revoked.
    var isRevoked: Bool {
        state.withLock {
            if case .revoked = $0 { return true }
            return false
        }
    }

    /// Revokes the lease; a waiting ``untilRevoked()`` returns.
    func revoke() {
        let waiting: CheckedContinuation<Void, Never>? = state.withLock { state in
            guard case .held(let continuation) = state else { return nil }
            state = .revoked
            return continuation
        }
        waiting?.resume()
    }

    /// Returns when the lease is revoked, or when the calling task is cancelled.
    func untilRevoked() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    guard case .held = state else { return true }
                    state = .held(continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiting: CheckedContinuation<Void, Never>? = state.withLock { state in
                switch state {
                case .held(let continuation):
                    state = .released
                    return continuation
                case .revoked, .released:
                    return nil
                }
            }
            waiting?.resume()
        }
    }
}

/// The handler was stopped because another consumer owns its entry now.
struct JobLeaseRevoked: Error, CustomStringConvertible {
    var description: String { "another worker owns this job now; this run stopped without recording an outcome" }
}
