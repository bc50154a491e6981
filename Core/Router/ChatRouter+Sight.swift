import Logging

extension ChatRouter {
    /// Images shown to the model at most, the question's first, then the most recent earlier ones:
    /// each costs as much as a long message.
    static let maxImages = 4
    /// Job attempts that fetch a photo the channel could not hand over before the answer goes on without it.
    static let mediaAttempts = 3

    /// The images of the question and of recent inbound turns, fetched through the media library.
    /// - Throws: `MediaError.unavailable` on the first attempts, so the job runs again later.
    func sight(_ run: AnswerRun, turns: [ConversationMessage]) async throws -> PromptBuilder.Sight {
        let earlier = turns.filter { $0.direction == .inbound && $0.parts.hasMedia }
        guard let library = dependencies.media, run.question.parts.hasMedia || !earlier.isEmpty,
            let conversation = try await dependencies.conversations.conversation(run.request.conversationID, tenant: run.tenant, userID: nil)
        else { return PromptBuilder.Sight() }
        var sight = PromptBuilder.Sight()
        do {
            (sight.question, sight.notes) = try await library.images(of: run.question.parts, in: conversation, tenant: run.tenant)
        } catch let error as MediaError where error.code == .unavailable && run.jobAttempt >= Self.mediaAttempts {
            logger.warning("a photo could not be fetched; answering without it", metadata: [LogKey.failure: "\(error)"])
            sight.notes = ["[image not shown: \(error.message)]"]
        }
        var room = Self.maxImages - sight.question.count
        for turn in earlier.reversed() where room > 0 {
            // Fetched when they were the question; one that failed then is not tried again here.
            guard let found = try? await library.images(of: turn.parts, in: conversation, tenant: run.tenant), !found.images.isEmpty else {
                continue
            }
            sight.turns[turn.id] = Array(found.images.prefix(room))
            sight.turnNotes[turn.id] = found.notes
            room -= min(room, found.images.count)
        }
        sight.question = Array(sight.question.prefix(Self.maxImages))
        return sight
    }
}

extension [MessagePart] {
    /// Whether a part is media.
    var hasMedia: Bool {
        contains { if case .media = $0 { true } else { false } }
    }
}
