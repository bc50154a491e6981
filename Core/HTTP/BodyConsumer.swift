/// The consumer's handle on a streaming transfer; when the last reference goes, the transfer is aborted.
///
/// Two live in each streaming response: one in ``HTTPClientResponseBody`` (dropping the response unread
/// aborts) and one per iterator, holding the first as `parent` (leaving a `for try await` early aborts,
/// even while the response value itself is still in scope).
final class BodyConsumer: Sendable {
    private let source: BodyStreamSource
    private let transfer: CurlTransfer
    private let loop: CurlMultiLoop
    private let parent: BodyConsumer?

    init(source: BodyStreamSource, transfer: CurlTransfer, loop: CurlMultiLoop) {
        self.source = source
        self.transfer = transfer
        self.loop = loop
        self.parent = nil
    }

    init(parent: BodyConsumer) {
        self.source = parent.source
        self.transfer = parent.transfer
        self.loop = parent.loop
        self.parent = parent
    }

    deinit {
        stop()
    }

    /// The most bytes the source ever buffered; for tests of the backpressure bound.
    var peakBufferedBytes: Int { source.peakBufferedBytes }

    func next() async throws -> [UInt8]? {
        try await withTaskCancellationHandler {
            var resumeProducer = false
            let chunk = try await withCheckedThrowingContinuation { continuation in
                resumeProducer = source.pull(continuation)
            }
            if resumeProducer { loop.send(.resume(transfer)) }
            return chunk
        } onCancel: {
            stop()
        }
    }

    /// Stops consuming; cancels the transfer if it is still running.
    func stop() {
        if source.stopConsuming() {
            loop.send(.cancel(transfer))
        }
    }
}
