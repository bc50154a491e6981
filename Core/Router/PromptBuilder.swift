public import Foundation

/// Builds what the model reads: the brand, what the tenant's people liked and disliked, the
/// conversation so far, and the new message.
///
/// Pure and deterministic, so the same context always gives the same prompt (and tests can read it).
public struct PromptBuilder: Sendable {
    /// Characters of one earlier turn kept in the prompt; longer turns are shortened.
    public var turnLimit: Int
    /// Characters of one feedback example kept.
    public var exampleLimit: Int

    /// Creates a builder.
    public init(turnLimit: Int = 4_000, exampleLimit: Int = 400) {
        self.turnLimit = turnLimit
        self.exampleLimit = exampleLimit
    }

    /// The request for answering `question` after `turns` (oldest first). With `clock` (now, and
    /// the person's zone), the model is told the local time and how to write times for the tools.
    /// `sight` holds the images the person sent, with the question and with earlier turns.
    public func request(
        brand: BrandProfile, feedback: [FeedbackStore.Signal], turns: [ConversationMessage], question: String, maxTokens: Int = 1024,
        clock: (now: Date, zone: TimeZone)? = nil, zoneKnown: Bool = true, sight: Sight = Sight()
    ) -> ChatRequest {
        var system = systemText(brand: brand, feedback: feedback)
        if let clock { system += "\n\n" + clockText(now: clock.now, zone: clock.zone, known: zoneKnown) }
        var messages = [ChatRequest.Message(role: .system, content: system)]
        for turn in turns {
            let text = String(turn.parts.plainText.prefix(turnLimit))
            guard !text.isEmpty else { continue }
            let images = turn.direction == .inbound ? sight.turns[turn.id] ?? [] : []
            let notes = turn.direction == .inbound ? sight.turnNotes[turn.id] ?? [] : []
            let content = ([text] + notes).joined(separator: "\n")
            messages.append(.init(role: turn.direction == .inbound ? .user : .assistant, content: content, images: images))
        }
        let notes = sight.notes.joined(separator: "\n")
        messages.append(.init(role: .user, content: notes.isEmpty ? question : question + "\n\n" + notes, images: sight.question))
        return ChatRequest(model: "", messages: messages, maxTokens: maxTokens)
    }

    /// The time, as the person sees it, and the rules for the tools' times and drafts. When nobody
    /// chose the zone (`known` false: a chat app, where no browser tells it), the model is asked to
    /// find it out once, before any time matters, and to store it with `set_time_zone`.
    public func clockText(now: Date, zone: TimeZone, known: Bool = true) -> String {
        var lines = [
            "The person's local time is \(LocalTime.display(now, in: zone, now: now)) (\(LocalTime.iso(now, in: zone))).",
            "Write every time you pass to a tool as ISO 8601 with the offset of that zone, and mean times the way the person does.",
            "To make a post, call draft_post with the finished text: the person sees a preview and confirms it; never claim a post was "
                + "published or scheduled unless a tool said so.",
        ]
        if !known {
            lines.append(
                "The person's time zone is not known yet, so UTC is assumed. Before you schedule anything, ask them once which city or "
                    + "time zone they are in, then call set_time_zone with its IANA name (like Europe/Berlin).")
        }
        return lines.joined(separator: "\n")
    }

    /// The system message: who the assistant works for and how it should sound.
    public func systemText(brand: BrandProfile, feedback: [FeedbackStore.Signal]) -> String {
        var lines = [
            "You are the social media assistant of \(brand.name.isEmpty ? "this business" : brand.name).",
            "You help its team draft, improve and schedule posts for LinkedIn, Facebook, Instagram, X and Mastodon.",
            "Answer in the brand's voice, concisely, ready to publish when asked for a post.",
        ]
        let facts = [
            ("Brand", brand.name), ("Voice", brand.voice), ("Audience", brand.audience), ("Industry", brand.industry), ("Notes", brand.notes),
        ]
        .filter { !$0.1.isEmpty }
        if !facts.isEmpty {
            lines.append("")
            lines += facts.map { "\($0.0): \($0.1)" }
        }
        let liked = feedback.filter { $0.rating == .up }.map { String($0.text.prefix(exampleLimit)) }
        let disliked = feedback.filter { $0.rating == .down }.map { String($0.text.prefix(exampleLimit)) }
        if !liked.isEmpty {
            lines.append("")
            lines.append("Answers the team liked (follow their style):")
            lines += liked.map { "- \($0.replacingNewlines())" }
        }
        if !disliked.isEmpty {
            lines.append("")
            lines.append("Answers the team disliked (avoid their style):")
            lines += disliked.map { "- \($0.replacingNewlines())" }
        }
        return lines.joined(separator: "\n")
    }
}

extension PromptBuilder {
    /// What the model is shown of the images people sent: those of the question, those of earlier
    /// turns by message id, and a note for each one that could not be shown.
    public struct Sight: Sendable, Equatable {
        /// The images sent with the question.
        public var question: [ChatRequest.Image]
        /// Images of earlier inbound turns, by message id.
        public var turns: [UUID: [ChatRequest.Image]]
        /// The notes of those images (their `media_id`s), by message id.
        public var turnNotes: [UUID: [String]] = [:]
        /// A note per image of the question: its `media_id`, or why it is not shown ("[image not shown: …]").
        public var notes: [String]

        /// Creates a sight; empty by default.
        public init(question: [ChatRequest.Image] = [], turns: [UUID: [ChatRequest.Image]] = [:], notes: [String] = []) {
            self.question = question
            self.turns = turns
            self.notes = notes
        }
    }
}

extension String {
    fileprivate func replacingNewlines() -> String {
        split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
