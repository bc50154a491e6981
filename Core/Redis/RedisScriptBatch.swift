import Synchronization

/// Script calls made at the same time by many tasks, sent to Redis as one pipeline on one
/// connection: a webhook's enqueue, a stage's outcome, a budget reservation each cost a pool
/// thread's hop and a round trip of their own otherwise, and under load they arrive together.
///
/// No task of its own: the first caller leads, sending what is waiting (its own call first, then
/// whatever queued meanwhile, up to ``maxBatch``). Before it answers the calls of its batch it makes
/// the first caller still waiting the next leader, so every caller sends at most one batch and a
/// steady stream of calls never keeps one task flushing. A leader cancelled while waiting for a
/// connection hands its batch back rather than failing the others' calls.
final class RedisScriptBatch: Sendable {
    /// The most calls in one pipeline; more wait for the next leader.
    static let maxBatch = 256

    struct Call: Sendable {
        let script: RedisScript
        let keys: [String]
        let arguments: [any RedisArgumentConvertible]
        let slot: Slot
    }

    /// What a waiting caller is woken with: its reply, or leadership of the next batch.
    enum Outcome: Sendable {
        case done(Result<RedisReply, any Error>)
        case lead
    }

    /// One caller's mailbox: outcomes arrive in order (`lead`, then its reply), one waiter at a time.
    final class Slot: Sendable {
        private struct State {
            var waiter: CheckedContinuation<Outcome, Never>?
            var outcomes: [Outcome] = []
        }
        private let state = Mutex(State())

        func wait() async -> Outcome {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Outcome? in
                    if state.outcomes.isEmpty {
                        state.waiter = continuation
                        return nil
                    }
                    return state.outcomes.removeFirst()
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }

        func deliver(_ outcome: Outcome) {
            let waiter = state.withLock { state -> CheckedContinuation<Outcome, Never>? in
                guard let waiter = state.waiter else {
                    state.outcomes.append(outcome)
                    return nil
                }
                state.waiter = nil
                return waiter
            }
            waiter?.resume(returning: outcome)
        }
    }

    private struct Queue {
        var pending: [Call] = []
        var leading = false
    }
    private let queue = Mutex(Queue())

    /// Runs one call in the next batch; `send` runs a batch on one connection and answers each call.
    func run(
        _ script: RedisScript, keys: [String], arguments: [any RedisArgumentConvertible],
        send: @Sendable ([Call]) async throws -> [Result<RedisReply, any Error>]
    ) async throws -> RedisReply {
        let slot = Slot()
        let leads = queue.withLock { queue -> Bool in
            queue.pending.append(Call(script: script, keys: keys, arguments: arguments, slot: slot))
            if queue.leading { return false }
            queue.leading = true
            return true
        }
        var outcome = leads ? .lead : await slot.wait()
        if case .lead = outcome {
            await lead(send: send)
            outcome = await slot.wait()
        }
        guard case .done(let result) = outcome else { preconditionFailure("a caller is made leader once per call") }
        return try result.get()
    }

    /// Sends the waiting calls (the leader's own is first), passes leadership on, answers them.
    private func lead(send: @Sendable ([Call]) async throws -> [Result<RedisReply, any Error>]) async {
        let calls = queue.withLock { queue -> [Call] in
            let batch = Array(queue.pending.prefix(Self.maxBatch))
            queue.pending.removeFirst(batch.count)
            return batch
        }
        var results: [Result<RedisReply, any Error>]
        do {
            results = try await send(calls)
        } catch is CancellationError {
            // This leader was cancelled before a connection was free: its call ends, the others go
            // back to the front of the queue for the next leader.
            let others = Array(calls.dropFirst())
            queue.withLock { $0.pending.insert(contentsOf: others, at: 0) }
            passLeadership()
            calls[0].slot.deliver(.done(.failure(CancellationError())))
            return
        } catch {
            results = Array(repeating: .failure(error), count: calls.count)
        }
        passLeadership()
        for (call, result) in zip(calls, results) { call.slot.deliver(.done(result)) }
    }

    private func passLeadership() {
        let next = queue.withLock { queue -> Slot? in
            guard let first = queue.pending.first else {
                queue.leading = false
                return nil
            }
            return first.slot
        }
        next?.deliver(.lead)
    }
}
