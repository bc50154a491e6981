import NIOCore
import Synchronization

/// The bounded buffer between the curl loop (producer) and a streaming body's consumer.
///
/// Backpressure without an unbounded buffer: once `highWater` bytes wait unread, `offer` answers
/// `.pause` and the write callback returns `CURL_WRITEFUNC_PAUSE` (curl keeps that data and stops reading
/// the socket); when the consumer has drained below half of `highWater`, `pull` says so and the consumer
/// asks the loop to unpause. So the buffer holds at most `highWater` plus one curl chunk.
final class BodyStreamSource: Sendable {
    /// What the write callback should do with the bytes it was offered.
    enum Offer: Equatable {
        /// Taken; report them consumed.
        case accepted
        /// Not taken; pause the transfer and have curl deliver them again after the unpause.
        case pause
        /// The consumer is gone; report them consumed, the transfer is being cancelled.
        case discard
    }

    private struct State {
        var chunks = CircularBuffer<[UInt8]>()
        var bufferedBytes = 0
        var peakBufferedBytes = 0
        var waiter: CheckedContinuation<[UInt8]?, any Error>?
        /// Set once: by the producer (success or error) or by the consumer stopping (cancelled).
        var end: Result<Void, HTTPClientError>?
        var producerPaused = false
    }

    private let state = Mutex(State())
    private let highWater: Int

    init(highWater: Int) {
        self.highWater = max(1, highWater)
    }

    /// The most bytes ever buffered at once; tests use it to check the bound.
    var peakBufferedBytes: Int { state.withLock { $0.peakBufferedBytes } }

    // MARK: Producer (the loop thread)

    /// Offers freshly received bytes.
    func offer(_ bytes: UnsafeRawBufferPointer) -> Offer {
        let (offer, waiter) = state.withLock { state -> (Offer, CheckedContinuation<[UInt8]?, any Error>?) in
            if state.end != nil { return (.discard, nil) }
            if let waiter = state.waiter {
                state.waiter = nil
                return (.accepted, waiter)
            }
            if state.bufferedBytes >= highWater {
                state.producerPaused = true
                return (.pause, nil)
            }
            state.chunks.append(Array(bytes))
            state.bufferedBytes += bytes.count
            state.peakBufferedBytes = max(state.peakBufferedBytes, state.bufferedBytes)
            return (.accepted, nil)
        }
        waiter?.resume(returning: Array(bytes))
        return offer
    }

    /// Ends the stream: `nil` after the last byte, or the error that ended the transfer.
    /// Buffered chunks are still delivered first. Ignored if the consumer already stopped.
    func finish(_ error: HTTPClientError?) {
        let waiter = state.withLock { state -> CheckedContinuation<[UInt8]?, any Error>? in
            guard state.end == nil else { return nil }
            state.end = error.map { .failure($0) } ?? .success(())
            defer { state.waiter = nil }
            return state.waiter
        }
        if let error { waiter?.resume(throwing: error) } else { waiter?.resume(returning: nil) }
    }

    // MARK: Consumer

    /// Hands the next chunk (or the end) to `continuation`, now or when it arrives.
    /// - Returns: `true` if the producer was paused and should now be resumed.
    func pull(_ continuation: CheckedContinuation<[UInt8]?, any Error>) -> Bool {
        enum Answer { case chunk([UInt8]), end(Result<Void, HTTPClientError>), wait, busy }
        let (answer, resumeProducer) = state.withLock { state -> (Answer, Bool) in
            if let chunk = state.chunks.popFirst() {
                state.bufferedBytes -= chunk.count
                let resume = state.producerPaused && state.bufferedBytes <= highWater / 2
                if resume { state.producerPaused = false }
                return (.chunk(chunk), resume)
            }
            if let end = state.end { return (.end(end), false) }
            if state.waiter != nil { return (.busy, false) }
            state.waiter = continuation
            return (.wait, false)
        }
        switch answer {
        case .chunk(let chunk): continuation.resume(returning: chunk)
        case .end(.success): continuation.resume(returning: nil)
        case .end(.failure(let error)): continuation.resume(throwing: error)
        case .busy:
            continuation.resume(
                throwing: HTTPClientError(code: .transferFailed, message: "a response body can be iterated by one consumer at a time")
            )
        case .wait: break
        }
        return resumeProducer
    }

    /// The consumer stopped (cancelled or dropped its iterator): drop the buffer, fail a waiting `next()`.
    /// - Returns: `true` if the producer had not finished, so the transfer must be cancelled.
    func stopConsuming() -> Bool {
        let (waiter, wasRunning) = state.withLock { state -> (CheckedContinuation<[UInt8]?, any Error>?, Bool) in
            state.chunks.removeAll()
            state.bufferedBytes = 0
            let wasRunning = state.end == nil
            if wasRunning { state.end = .failure(.cancelled) }
            defer { state.waiter = nil }
            return (state.waiter, wasRunning)
        }
        waiter?.resume(throwing: HTTPClientError.cancelled)
        return wasRunning
    }
}
