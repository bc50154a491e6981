import Foundation
import Logging

extension ChatRouter {
    /// What the answer's steps have produced so far.
    struct Progress: Sendable {
        /// The text of every step, in order: what the person reads.
        var text = ""
        /// The last step's text alone, which goes back to the model with its tool calls.
        var stepText = ""
        /// The answering provider and model of the last step.
        var provider = ""
        var model = ""
    }

    /// Asks the model, runs the tools it calls and asks again with their results, until it answers
    /// without calling a tool or `tools.max_steps` calls were made. Each step is funded, billed and
    /// streamed like a single answer; the text of all steps is one answer to the person.
    func steps(_ first: ChatRequest, policy: RoutingPolicy, context: ToolContext, run: AnswerRun) async throws {
        var request = first
        var progress = Progress()
        for step in 1...max(1, policy.toolMaxSteps) {
            let funded: FundedChain
            do {
                funded = try await fund(request, policy: policy, run: run)
            } catch let refusal as BudgetExceeded {
                try await fail(run, code: "budget_exhausted", message: Self.budgetMessage(refusal), partial: progress.text)
                return
            }
            guard let calls = try await stream(request, through: funded, run: run, progress: &progress) else { return }
            if calls.isEmpty {
                let stored = ConversationMessage(
                    id: run.answerID, conversationID: run.request.conversationID, direction: .outbound, channel: run.request.channel,
                    parts: [.text(progress.text)], replyTo: run.question.id, status: .completed
                )
                try await dependencies.conversations.saveAnswer(stored, tenant: run.tenant)
                try await announce(stored, question: run.question, request: run.request, provider: progress.provider, model: progress.model)
                return
            }
            guard step < policy.toolMaxSteps else { break }
            request.messages.append(.init(role: .assistant, content: progress.stepText, toolCalls: calls))
            for call in calls {
                request.messages.append(.tool(try await use(call, step: step, context: context, run: run)))
            }
        }
        try await fail(
            run, code: "tool_steps_exhausted",
            message: "The assistant stopped after \(policy.toolMaxSteps) steps without finishing. "
                + "Anything it drafted is shown above; ask again, more specifically, to go on.",
            partial: progress.text)
    }

    /// Runs one tool call, showing it on the conversation's stream as it starts and ends.
    func use(_ call: ToolCall, step: Int, context: ToolContext, run: AnswerRun) async throws -> ChatRequest.ToolResult {
        let conversation = run.request.conversationID
        try await dependencies.events.publish(
            .toolStarted,
            AnswerEvents.ToolStarted(
                messageID: run.answerID, callID: call.id, name: call.name, label: dependencies.tools.label(for: call), step: step),
            conversation: conversation)
        let outcome = try await dependencies.tools.run(call, context: context)
        if let error = outcome.error {
            logger.notice("a tool call failed", metadata: [LogKey.messageID: "\(run.question.id)", LogKey.failure: "\(call.name): \(error)"])
        }
        let post = outcome.result.objectValue?["post_id"].flatMap { if case .string(let id) = $0 { UUID(uuidString: id) } else { nil } }
        try await dependencies.events.publish(
            .toolFinished,
            AnswerEvents.ToolFinished(
                messageID: run.answerID, callID: call.id, name: call.name, ok: outcome.error == nil, error: outcome.error?.rawValue, postID: post),
            conversation: conversation)
        return ChatRequest.ToolResult(callID: call.id, name: call.name, content: outcome.result.text, isError: outcome.error != nil)
    }
}
