import Synchronization

/// A worker's hold on one stream entry while its handler runs: revoked when the worker learns that
/// another consumer owns the entry now (its heartbeat found it reclaimed), or when the worker could
/// not renew its holds for a whole visibility timeout (another worker may have taken it meanwhile).
///
/// A revoked lease cancels the handler and keeps the worker from recording any outcome: the other
/// consumer runs the job, and one owner at a time is what keeps effects single.
final class JobLease: Sendable {
    /// Why a lease ended before its handler did.
    enum Revocation: Sendable, Equatable {
        /// Another consumer owns the entry now (or may, after a stall): no outcome is recorded.
        case takenOver
        /// Graceful shutdown ran past its limit: the job is handed back for another worker.
        case shutdown
        /// The handler ran past the stage's time limit: the job is retried like any failure.
        case timeLimit
    }

    private enum State {
        /// Held; the continuation of ``untilRevoked()`` waiting, if any.
        case held(CheckedContinuation<Void, Never>?)
        /// Revoked: the handler must stop.
        case revoked(Revocation)
        /// The wait was cancelled (the handler finished first).
        case released
    }

    private let state = Mutex<State>(.held(nil))
    /// When the worker took the job: the handler's time limit counts from here.
    let taken = ContinuousClock.now

    /// Why the lease was revoked; `nil` while it holds.
    var revocation: Revocation? {
        state.withLock {
            if case .revoked(let reason) = $0 { return reason }
            return nil
        }
    }

    /// True once revoked.
    var isRevoked: Bool { revocation != nil }

    /// Revokes the lease; a waiting ``untilRevoked()`` returns.
    func revoke(_ reason: Revocation = .takenOver) {
        let waiting: CheckedContinuation<Void, Never>? = state.withLock { state in
            guard case .held(let continuation) = state else { return nil }
            state = .revoked(reason)
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

/// The handler was stopped because graceful shutdown ran past its limit; the job is handed back.
struct StageShutdownDeadline: Error, CustomStringConvertible {
    var description: String { "graceful shutdown ran past its limit; the job was stopped and handed back" }
}

/// The handler ran past the stage's time limit and was stopped; the job is retried like any failure.
struct StageHandlerTimeout: Error, CustomStringConvertible {
    let limit: Duration
    var description: String { "the handler ran longer than the stage's limit of \(limit) and was stopped" }
}
