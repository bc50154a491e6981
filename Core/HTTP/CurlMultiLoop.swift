import CCurl
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Owns the curl multi handle and the one dedicated thread that drives every transfer on it.
///
/// Other threads never call curl except `curl_multi_wakeup`: they append a ``Command`` under the mutex
/// and wake the loop, which is blocked in `curl_multi_poll`. Keeping one multi handle for the client's
/// life keeps libcurl's connection cache, so connections are reused across requests.
final class CurlMultiLoop: Sendable {
    /// Work for the loop thread.
    enum Command {
        /// Start a transfer.
        case add(CurlTransfer)
        /// Abort a transfer (task cancelled or body consumer gone); ignored if it already ended.
        case cancel(CurlTransfer)
        /// A paused streaming transfer's consumer caught up.
        case resume(CurlTransfer)
    }

    private enum Phase { case running, stopping, stopped }

    private struct State {
        var phase = Phase.running
        var commands: [Command] = []
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
        /// The joinable thread, until someone joins or detaches it.
        var thread: pthread_t?
    }

    /// `CURLM *`; safe to share because only the loop thread uses it, except `curl_multi_wakeup`,
    /// which libcurl documents as callable from any thread (and which we only call while `.running`/`.stopping`).
    private struct MultiHandle: @unchecked Sendable { let pointer: UnsafeMutableRawPointer }

    private let state = Mutex(State())
    private let multi: MultiHandle
    private let activeCount = Atomic<Int>(0)
    private let connectionCount = Atomic<Int>(0)
    /// This loop thread's name.
    let threadName: String

    /// The loop thread's default name (at most 15 characters, as Linux allows).
    static let threadName = "leopost-http"

    init(maxConnectionsPerHost: Int, threadName: String = CurlMultiLoop.threadName) {
        let threadName = String(threadName.prefix(15))
        CurlGlobal.initialize()
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed: out of memory") }
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, maxConnectionsPerHost)
        self.multi = MultiHandle(pointer: multi)
        self.threadName = threadName
        let unmanaged = Unmanaged.passRetained(self)
        var thread = pthread_t()
        let created = pthread_create(
            &thread, nil,
            { argument in
                let loop = Unmanaged<CurlMultiLoop>.fromOpaque(argument!).takeRetainedValue()
                // Named so operators (and the leak test) can tell the loop threads apart in /proc and gdb.
                // (pthread_setname_np is not visible from Swift's Glibc; /proc/thread-self/comm is the same setting.)
                let descriptor = open("/proc/thread-self/comm", O_WRONLY)
                if descriptor >= 0 {
                    _ = loop.threadName.withCString { write(descriptor, $0, strlen($0)) }
                    close(descriptor)
                }
                loop.run()
                return nil
            }, unmanaged.toOpaque())
        guard created == 0 else { fatalError("pthread_create failed for the HTTP client loop: errno \(created)") }
        state.withLock { $0.thread = thread }
    }

    /// Transfers currently attached to the multi handle; for tests and metrics.
    var activeTransfers: Int { activeCount.load(ordering: .relaxed) }

    /// Connections opened so far (`CURLINFO_NUM_CONNECTS` summed); shows reuse in tests and metrics.
    var connectionsOpened: Int { connectionCount.load(ordering: .relaxed) }

    func countConnections(_ count: Int) {
        if count > 0 { connectionCount.add(count, ordering: .relaxed) }
    }

    /// Queues a transfer. - Returns: `false` if the loop is stopping or stopped.
    func submit(_ transfer: CurlTransfer) -> Bool {
        state.withLock { state in
            guard state.phase == .running else { return false }
            state.commands.append(.add(transfer))
            curl_multi_wakeup(multi.pointer)
            return true
        }
    }

    /// Queues a cancel or resume; dropped once the loop has stopped (its transfers are gone by then).
    func send(_ command: Command) {
        state.withLock { state in
            guard state.phase != .stopped else { return }
            state.commands.append(command)
            curl_multi_wakeup(multi.pointer)
        }
    }

    /// Asks the loop to fail in-flight transfers with `.shutdown` and exit. Returns at once.
    func requestStop() {
        state.withLock { state in
            guard state.phase == .running else { return }
            state.phase = .stopping
            curl_multi_wakeup(multi.pointer)
        }
    }

    /// Waits until the loop thread has finished its work, then joins it.
    func waitUntilStopped() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let stopped = state.withLock { state in
                if state.phase == .stopped { return true }
                state.exitWaiters.append(continuation)
                return false
            }
            if stopped { continuation.resume() }
        }
        // The thread signalled its last step; joining returns at once and reclaims it.
        if let thread = state.withLock({ state in
            defer { state.thread = nil }; return state.thread
        }) {
            pthread_join(thread, nil)
        }
    }

    /// For a client dropped without `shutdown()`: stop, and let the thread clean up after itself.
    func stopAndDetach() {
        requestStop()
        if let thread = state.withLock({ state in
            defer { state.thread = nil }; return state.thread
        }) {
            pthread_detach(thread)
        }
    }

    /// Takes the queued commands and whether a stop was requested.
    func takeCommands() -> ([Command], stopping: Bool) {
        state.withLock { state in
            defer { state.commands = [] }
            return (state.commands, state.phase != .running)
        }
    }

    func setActiveCount(_ count: Int) {
        activeCount.store(count, ordering: .relaxed)
    }

    /// Loop thread, last step: no more wake-ups can reach the multi handle after the phase flips,
    /// so it is freed (closing cached connections) before waiters are told.
    func markStopped() {
        let waiters = state.withLock { state in
            state.phase = .stopped
            state.commands = []
            defer { state.exitWaiters = [] }
            return state.exitWaiters
        }
        curl_multi_cleanup(multi.pointer)
        for waiter in waiters { waiter.resume() }
    }

    var multiPointer: UnsafeMutableRawPointer { multi.pointer }
}
