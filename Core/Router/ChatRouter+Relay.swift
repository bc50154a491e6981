import Synchronization

extension ChatRouter {
    /// What came of reading an answer's events.
    struct Relayed: Sendable {
        /// The text received.
        var text = ""
        /// The tool calls the model made, whole.
        var toolCalls: [ToolCall] = []
        /// What to charge.
        var meter: UsageMeter
        /// When the first text came, after the start.
        var firstToken: Duration?
        /// The provider failed mid-answer.
        var failure: ProviderError?
        /// The run was cancelled or Redis failed: the job must run again.
        var interruption: (any Error)?
    }

    /// Text received but not yet published, and all the text so far.
    private final class PendingText: Sendable {
        let text = Mutex("")
        let all: Mutex<String>

        init(earlier: String) { all = Mutex(earlier) }

        func take() -> String {
            text.withLock { text in
                defer { text = "" }
                return text
            }
        }
    }

    /// Reads the answer's events and publishes its text as `message.delta`s.
    ///
    /// Text that arrives while a publish is in flight waits for it and goes out with the next
    /// one: a slow provider's every token is published at once, a fast one's are merged, so the
    /// Redis round trips never hold the provider back and never number more than needed.
    /// Failures are returned, not thrown, so the caller can bill what was used in every case.
    /// `earlier` is the text of the answer's earlier steps (before a tool ran), which a chat app's
    /// growing message keeps showing.
    func relay(
        _ events: AsyncThrowingStream<ChatEvent, any Error>, run: AnswerRun, meter: UsageMeter, started: ContinuousClock.Instant, earlier: String = ""
    ) async -> Relayed {
        let pending = PendingText(earlier: earlier)
        var calls = ToolCallAssembler()
        let partial = configuration.channels.showsPartials(run.request.channel) ? PartialDelivery(router: self, run: run) : nil
        let (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let log = dependencies.events
        @Sendable func flush() async throws {
            let text = pending.take()
            guard !text.isEmpty else { return }
            try await log.publish(
                .messageDelta, AnswerEvents.Delta(messageID: run.answerID, replyTo: run.question.id, attempt: run.attempt, text: text),
                conversation: run.request.conversationID
            )
        }
        var result = Relayed(meter: meter)
        let publishing = await withTaskGroup(of: (any Error)?.self) { group in
            group.addTask {
                do {
                    for await _ in wakeups {
                        try await flush()
                        await partial?.offer(pending.all.withLock { $0 })
                    }
                    try await flush()
                    return nil
                } catch {
                    return error
                }
            }
            do {
                for try await event in events {
                    result.meter.observe(event)
                    if case .toolCall(let piece) = event {
                        calls.add(piece)
                        if result.firstToken == nil { result.firstToken = .now - started }
                    }
                    guard case .delta(var piece) = event, !piece.isEmpty else { continue }
                    // A step after a tool ran starts a new paragraph of the same answer.
                    if result.text.isEmpty, !earlier.isEmpty { piece = "\n\n" + piece }
                    if result.firstToken == nil { result.firstToken = .now - started }
                    result.text += piece
                    pending.text.withLock { $0 += piece }
                    pending.all.withLock { $0 += piece }
                    wake.yield()
                }
            } catch let error as ProviderError {
                result.failure = error
            } catch {
                result.interruption = error
            }
            wake.finish()
            return await group.next() ?? nil
        }
        result.toolCalls = calls.calls
        if result.interruption == nil, let publishing { result.interruption = publishing }
        return result
    }
}
