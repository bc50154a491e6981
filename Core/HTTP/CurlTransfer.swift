import CCurl
import Logging
import Synchronization

/// One request's life on the curl loop: its easy handle, parsed head, collected body and deliveries.
///
/// Thread confinement: apart from `init`, the continuation setters (called before `submit` hands the
/// transfer to the loop, which publishes them through the loop's mutex) and `requestCancel()` (an atomic),
/// every member is touched only by the loop thread; hence `@unchecked Sendable`. While the easy handle
/// exists, curl's callbacks hold this object through an `Unmanaged` reference taken in `start` and
/// released exactly once in `cleanUp`, after the handle is freed, so no callback can see freed memory.
final class CurlTransfer: @unchecked Sendable {
    let request: PreparedRequest
    let logger: Logger
    /// Streaming only: where body chunks go.
    let source: BodyStreamSource?
    /// Collecting only: the body limit.
    let maxBodyBytes: Int
    private let cancelRequested = Atomic<Bool>(false)
    private let loop: CurlMultiLoop

    // Loop-thread state.
    var easy: UnsafeMutableRawPointer?
    var headerList: UnsafeMutablePointer<curl_slist>?
    /// Tenant requests to a name: the pinned `CURLOPT_RESOLVE` entry, kept until the handle is freed.
    var resolveList: UnsafeMutablePointer<curl_slist>?
    var errorBuffer: UnsafeMutablePointer<CChar>?
    var retainedSelf: Unmanaged<CurlTransfer>?
    var addedToMulti = false
    var parser: HTTPResponseHeadParser
    var head: HTTPResponseHeadParser.Head?
    var body: [UInt8] = []
    /// Why a callback aborted the transfer (returned an error to curl), if it did.
    var callbackFailure: HTTPClientError?
    var startedAt: ContinuousClock.Instant = .now
    var lastDataAt: ContinuousClock.Instant = .now
    /// Paused because the streaming consumer is behind; idle time does not count then.
    var paused = false
    private var collectContinuation: CheckedContinuation<HTTPClientResponse, any Error>?
    private var headContinuation: CheckedContinuation<HTTPClientStreamingResponse, any Error>?

    /// - Parameters:
    ///   - streamBuffer: For ``HTTPClient/stream(_:)``: the streaming buffer size; `nil` collects the body.
    init(request: PreparedRequest, maxBodyBytes: Int, streamBuffer: Int?, loop: CurlMultiLoop, logger: Logger) {
        self.request = request
        self.maxBodyBytes = maxBodyBytes
        self.source = streamBuffer.map { BodyStreamSource(highWater: $0) }
        self.loop = loop
        self.logger = logger
        self.parser = HTTPResponseHeadParser(followRedirects: request.followRedirects)
    }

    /// Caller side, before submitting: where a collected response goes.
    func setContinuation(_ continuation: CheckedContinuation<HTTPClientResponse, any Error>) {
        collectContinuation = continuation
    }

    /// Caller side, before submitting: where a streaming response's head goes.
    func setContinuation(_ continuation: CheckedContinuation<HTTPClientStreamingResponse, any Error>) {
        headContinuation = continuation
    }

    /// Any thread: marks the transfer cancelled, for a cancellation that races ahead of the submit.
    func requestCancel() {
        cancelRequested.store(true, ordering: .releasing)
    }

    var isCancelRequested: Bool { cancelRequested.load(ordering: .acquiring) }

    // MARK: Timers (loop thread)

    /// The limit this transfer has passed at `now`, if any.
    func expiredLimit(at now: ContinuousClock.Instant) -> HTTPClientError? {
        if now >= request.deadline {
            return .about(request.target, .totalTimeout, "the request did not complete within its total timeout or deadline")
        }
        if head == nil, now >= startedAt + request.firstByteTimeout {
            return .about(request.target, .firstByteTimeout, "no response headers within \(request.firstByteTimeout)")
        }
        if head != nil, !paused, now >= lastDataAt + request.idleTimeout {
            return .about(request.target, .idleTimeout, "the response body stalled for more than \(request.idleTimeout)")
        }
        return nil
    }

    /// When ``expiredLimit(at:)`` can next become non-nil.
    var nextLimit: ContinuousClock.Instant {
        if head == nil { return min(request.deadline, startedAt + request.firstByteTimeout) }
        return paused ? request.deadline : min(request.deadline, lastDataAt + request.idleTimeout)
    }

    // MARK: Delivery (loop thread)

    /// The head is in: a streaming caller gets its response now.
    func headArrived(_ head: HTTPResponseHeadParser.Head) {
        self.head = head
        lastDataAt = .now
        guard let source, let continuation = headContinuation else { return }
        headContinuation = nil
        let consumer = BodyConsumer(source: source, transfer: self, loop: loop)
        continuation.resume(
            returning: HTTPClientStreamingResponse(status: head.status, headers: head.headers, body: HTTPClientResponseBody(consumer: consumer))
        )
    }

    /// Ends the transfer: frees curl's resources first, then tells the caller.
    /// - Parameters:
    ///   - result: `nil` for success, or the error that ended it.
    ///   - multi: The multi handle the easy handle may still be attached to.
    func finish(_ error: HTTPClientError?, multi: UnsafeMutableRawPointer) {
        let fallbackStatus = responseCode()
        loop.countConnections(newConnections())
        cleanUp(multi: multi)
        let finalHead = head ?? parser.currentHead ?? .init(status: fallbackStatus, headers: [:])
        if let error {
            logger.debug(
                "http request failed",
                metadata: [LogKey.httpTarget: "\(request.target)", LogKey.httpError: "\(error.code)"]
            )
        } else {
            logger.debug(
                "http request finished",
                metadata: [LogKey.httpTarget: "\(request.target)", LogKey.httpStatus: "\(finalHead.status)"]
            )
        }
        if let continuation = collectContinuation {
            collectContinuation = nil
            if let error {
                continuation.resume(throwing: error)
            } else {
                continuation.resume(returning: HTTPClientResponse(status: finalHead.status, headers: finalHead.headers, body: body))
            }
        }
        if let continuation = headContinuation, let error {
            headContinuation = nil
            continuation.resume(throwing: error)
        } else if head == nil, error == nil, source != nil {
            headArrived(finalHead)
        }
        source?.finish(error)
    }

    /// Detaches and frees the easy handle and everything it pointed to; safe to call twice.
    private func cleanUp(multi: UnsafeMutableRawPointer) {
        if let easy {
            if addedToMulti { curl_multi_remove_handle(multi, easy) }
            curl_easy_cleanup(easy)
            self.easy = nil
            addedToMulti = false
        }
        if let headerList {
            curl_slist_free_all(headerList)
            self.headerList = nil
        }
        if let resolveList {
            curl_slist_free_all(resolveList)
            self.resolveList = nil
        }
        errorBuffer?.deallocate()
        errorBuffer = nil
        retainedSelf?.release()
        retainedSelf = nil
    }

    private func responseCode() -> Int {
        guard let easy else { return 0 }
        var code = 0
        _ = ccurl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    /// Connections curl had to open for this transfer (0 when it reused a cached one).
    private func newConnections() -> Int {
        guard let easy else { return 0 }
        var count = 0
        _ = ccurl_easy_getinfo_long(easy, CURLINFO_NUM_CONNECTS, &count)
        return count
    }
}
