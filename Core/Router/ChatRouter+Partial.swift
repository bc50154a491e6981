import Foundation
import Logging
import Synchronization

extension ChatRouter {
    /// Shows the answer so far in a chat app that can edit a sent message: a partial delivery
    /// (``OutboundMessage/partial``) at the first text and then at most every `partialInterval`,
    /// on the conversation's delivery order, so the final answer always comes after them.
    ///
    /// Best effort: a partial that cannot be queued is logged and skipped; the answer itself is
    /// delivered as always.
    final class PartialDelivery: Sendable {
        private struct State {
            var last: ContinuousClock.Instant?
            var sent = 0
            var thread: Conversation?
        }

        private let router: ChatRouter
        private let run: AnswerRun
        private let state = Mutex(State())

        init(router: ChatRouter, run: AnswerRun) {
            self.router = router
            self.run = run
        }

        /// Offers the text so far; queued when the interval since the last one has passed.
        func offer(_ text: String) async {
            let number: Int? = state.withLock { state in
                if let last = state.last, ContinuousClock.now - last < router.configuration.partialInterval { return nil }
                state.last = .now
                state.sent += 1
                return state.sent
            }
            guard let number, let delivery = router.dependencies.delivery, !text.isEmpty else { return }
            do {
                guard let thread = try await conversation() else { return }
                try await delivery.deliver(
                    [.text(text)], messageID: run.answerID, to: thread, tenant: run.tenant,
                    idempotencyKey: "partial:\(run.answerID):\(run.attempt):\(number)", partial: true)
            } catch {
                router.logger.info("partial answer not queued", metadata: [LogKey.messageID: "\(run.answerID)", LogKey.error: "\(error)"])
            }
        }

        private func conversation() async throws -> Conversation? {
            if let thread = state.withLock({ $0.thread }) { return thread }
            let thread = try await router.dependencies.conversations.conversation(run.request.conversationID, tenant: run.tenant, userID: nil)
            state.withLock { $0.thread = thread }
            return thread
        }
    }
}
