import Logging

extension ChatRouter {
    /// What a person reads when their message could not be answered at all: the stage gave up
    /// (attempts spent on an outage, or a fault no retry fixed). The cause stays in the log and the
    /// dead letter; it may name the operator's infrastructure.
    public static let deadLetterMessage =
        "Sorry, the assistant could not answer this message because of a problem on our side. Please send it again in a few minutes."

    /// Stores a failed answer and publishes `message.failed`, so the person is not left waiting
    /// for an answer that will never come; what had streamed of it is kept above the notice. An
    /// answer already final (completed or failed) is left as it is: the person has been told.
    public func deadLettered(_ job: StageJob, reason: String) async throws {
        guard let request = try? job.decodePayload(as: AnswerRequest.self) else { return }
        let answerID = ConversationMessage.answerID(for: request.messageID)
        let found = try await dependencies.conversations.messages([request.messageID, answerID], tenant: request.tenantID)
        guard let question = found[request.messageID], question.direction == .inbound else { return }
        let earlier = found[answerID]
        if let earlier, earlier.status != .streaming { return }
        let run = AnswerRun(request: request, question: question, answerID: answerID, attempt: Self.runNumber(), jobAttempt: job.attempt)
        logger.error("answer given up", metadata: [LogKey.messageID: "\(request.messageID)", LogKey.error: "\(reason)"])
        try await fail(run, code: "internal", message: Self.deadLetterMessage, partial: earlier?.parts.plainText ?? "")
    }

    /// True for the answer ``deadLettered(_:reason:)`` stored: a replayed job asks the chain
    /// again instead of announcing that notice once more.
    static func isDeadLetterNotice(_ answer: ConversationMessage) -> Bool {
        answer.status == .failed && answer.parts.plainText.contains(deadLetterMessage)
    }
}
