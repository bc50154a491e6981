import CHiredis
import NIOCore
import Synchronization

/// Commands written together on a shared connection, and where their replies go.
struct RedisRequest: Sendable {
    /// The commands in Redis's wire format, as hiredis formats them.
    var bytes: ByteBuffer
    /// How many replies answer it: one per command.
    let expected: Int
    /// Completed with the replies, in order, or with the connection's failure.
    let promise: EventLoopPromise<[RedisReply]>
    /// After this the connection is given up as stalled.
    let deadline: NIODeadline
}

/// The protocol side of a shared (multiplexed) Redis connection, on its event loop.
///
/// Requests from many tasks are written one after another and their replies, which Redis sends
/// in the same order, are matched to them in a queue: no caller holds the connection while it
/// waits, so a few connections carry every non-blocking command of a process. hiredis's reader
/// parses the replies. Requests submitted while others are on their way go out in one write.
///
/// A connection that fails (closed, a reply that cannot be parsed, a reply that did not come by
/// its request's deadline) fails every request in the queue and closes: a later reply could no
/// longer be matched to its request.
final class RedisReplyHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = RedisRequest
    typealias OutboundOut = ByteBuffer

    private let address: String
    private let unwritten: RedisUnwrittenCount
    private var reader: UnsafeMutablePointer<redisReader>?
    private var waiting = CircularBuffer<Waiting>()
    private var failure: RedisError?
    private var timer: Scheduled<Void>?

    private struct Waiting {
        let request: RedisRequest
        var replies: [RedisReply]
    }

    /// - Parameters:
    ///   - address: the server's host and port, for messages.
    ///   - unwritten: requests callers have submitted that have not reached `write` yet.
    init(address: String, unwritten: RedisUnwrittenCount) {
        self.address = address
        self.unwritten = unwritten
        self.reader = redisReaderCreate()
    }

    deinit {
        if let reader { redisReaderFree(reader) }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        unwritten.written()
        // The caller's write promise only says the request was queued; its outcome is the request's own.
        promise?.succeed()
        if let failure {
            request.promise.fail(failure)
            return
        }
        if waiting.isEmpty { armTimer(context: context, at: request.deadline) }
        waiting.append(Waiting(request: request, replies: []))
        context.write(wrapOutboundOut(request.bytes), promise: nil)
    }

    /// Flushes when no other caller's request is on its way to `write`: requests submitted together
    /// by many tasks go out in one write, and a lone request goes out at once.
    func flush(context: ChannelHandlerContext) {
        if unwritten.isZero { context.flush() }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let reader else { return }
        let buffer = unwrapInboundIn(data)
        let fed = buffer.withUnsafeReadableBytes { bytes in
            redisReaderFeed(reader, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
        }
        guard fed == REDIS_OK else { return fail(context: context, protocolError()) }
        while true {
            var raw: UnsafeMutableRawPointer?
            guard redisReaderGetReply(reader, &raw) == REDIS_OK else { return fail(context: context, protocolError()) }
            guard let raw else { return }
            let reply = RedisReply(raw.assumingMemoryBound(to: redisReply.self))
            freeReplyObject(raw)
            guard !waiting.isEmpty else {
                return fail(
                    context: context,
                    RedisError(code: .unexpectedReply, message: "Redis at \(address) sent a reply nobody asked for: \(reply.kindName)")
                )
            }
            waiting[waiting.startIndex].replies.append(reply)
            if waiting[waiting.startIndex].replies.count == waiting[waiting.startIndex].request.expected {
                let done = waiting.removeFirst()
                done.request.promise.succeed(done.replies)
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(context: context, RedisError(code: .connectionLost, message: "lost the connection to Redis at \(address): it closed"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context: context, RedisError(code: .connectionLost, message: "lost the connection to Redis at \(address): \(error)"))
    }

    /// Fails what is queued and what comes later, and closes the connection.
    /// The first failure is the one every waiting call gets: closing runs `channelInactive` at once,
    /// which must not replace a timeout with "it closed".
    private func fail(context: ChannelHandlerContext, _ error: RedisError) {
        let first = failure ?? error
        let failed = waiting
        waiting.removeAll()
        timer?.cancel()
        timer = nil
        if failure == nil {
            failure = error
            context.close(promise: nil)
        }
        for entry in failed { entry.request.promise.fail(first) }
    }

    /// Checks the oldest request's deadline; one timer per connection, moved on as requests finish.
    private func armTimer(context: ChannelHandlerContext, at deadline: NIODeadline) {
        timer?.cancel()
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.timer = nil
            guard let oldest = self.waiting.first else { return }
            if oldest.request.deadline <= .now() {
                self.fail(context: context, RedisError(code: .timeout, message: "Redis at \(self.address) did not answer in time"))
            } else {
                self.armTimer(context: context, at: oldest.request.deadline)
            }
        }
    }

    private func protocolError() -> RedisError {
        let text = reader.map { reader in
            withUnsafeBytes(of: reader.pointee.errstr) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return RedisError(code: .unexpectedReply, message: "Redis at \(address) sent a reply that cannot be read: \(text ?? "")")
    }
}

/// How many requests callers have handed to a shared connection that its handler has not taken
/// yet: each caller counts up before its write, the handler counts down in `write`, and flushes
/// only at zero, since a request still on its way brings a flush of its own.
final class RedisUnwrittenCount: Sendable {
    private let count = Atomic<Int>(0)

    /// A caller is about to write a request.
    func submitting() { count.add(1, ordering: .relaxed) }
    /// The handler took a request.
    func written() { count.subtract(1, ordering: .relaxed) }
    /// True when no request is on its way.
    var isZero: Bool { count.load(ordering: .relaxed) == 0 }
}
