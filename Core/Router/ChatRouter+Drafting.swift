import Foundation

extension ChatRouter {
    /// The policy task whose chain writes posts from a brief.
    static let draftTask = "draft"

    /// Writes post texts for the tools with the policy's `draft` chain, inside the answer being
    /// made: the call is reserved against the budgets, billed to the answer and recorded as usage,
    /// and its text is not streamed to the person (the preview shows it).
    struct DraftWriter: PostWriting {
        let router: ChatRouter
        let run: AnswerRun
        let policy: RoutingPolicy
        let brand: BrandProfile

        func write(brief: String, platforms: [String]) async throws -> String {
            let system =
                router.prompts.systemText(brand: brand, feedback: [])
                + "\n\nWrite the text of one social media post for \(platforms.joined(separator: ", ")) from the brief you are given. "
                + "Answer with the post's text only, ready to publish: no quotes around it, no notes before or after it."
            let prompt = ChatRequest(model: "", messages: [.init(role: .system, content: system), .init(role: .user, content: brief)])
            let funded: FundedChain
            do { funded = try await router.fund(prompt, policy: policy, run: run, task: ChatRouter.draftTask) } catch let refusal as BudgetExceeded {
                throw ToolError(.refused, ChatRouter.budgetMessage(refusal))
            }
            let clock = ContinuousClock()
            let started = clock.now
            var attempts: [ProviderChain.Attempt] = []
            let answer: ProviderChain.Answer
            do { answer = try await funded.chain.start(prompt, recording: &attempts) } catch let error as ProviderError {
                try await router.settle(funded, attempts: attempts, answering: nil, run: run)
                throw ToolError(.unavailable, "the drafting model could not answer (\(error.code)); write the text yourself")
            }
            var meter = UsageMeter(estimatedInputTokens: UsageMeter.estimateTokens(of: prompt))
            var text = ""
            var failure: (any Error)?
            do {
                for try await event in answer.events {
                    meter.observe(event)
                    if case .delta(let piece) = event { text += piece }
                }
            } catch {
                failure = error
            }
            let outcome: String
            switch failure {
            case nil: outcome = "ok"
            case let error as ProviderError: outcome = "\(error.code)"
            default: outcome = "cancelled"
            }
            let call = AnsweringCall(meter: meter, firstToken: nil, total: clock.now - started, outcome: outcome)
            let used = answer.attempts
            // In a task of its own, awaited: this task may be cancelled, and the bill must still be written.
            try await Task { try await router.settle(funded, attempts: used, answering: call, run: run) }.value
            if let failure, !(failure is ProviderError) { throw failure }
            let written = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard failure == nil, !written.isEmpty else {
                throw ToolError(.unavailable, "the drafting model's answer broke off; write the text yourself")
            }
            return written
        }
    }
}
