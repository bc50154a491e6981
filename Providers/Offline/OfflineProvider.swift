import Foundation
public import LeopostCore

/// A deterministic local provider, so Leopost answers with no provider key at all.
///
/// It drafts from what the prompt carries (the system message's brand context and the user's
/// last message), says plainly that it is offline, and streams word by word like a real provider,
/// so everything downstream (SSE, budgets, usage) runs the same path. Usage counts words.
public struct OfflineProvider: AIProvider {
    /// `offline`.
    public let kind = "offline"

    /// Creates the provider.
    public init() {}

    public func stream(_ request: ChatRequest) async throws -> AsyncThrowingStream<ChatEvent, any Error> {
        if let call = Self.draftCall(for: request) {
            let input = request.messages.reduce(0) { $0 + $1.content.split(separator: " ").count }
            let events: [ChatEvent] = [
                .delta(Self.offlineNote + " Drafting it now."),
                .toolCall(ToolCallDelta(index: 0, id: "offline_draft", name: "draft_post", arguments: call.text)),
                .usage(TokenUsage(input: input, output: call.text.count / 4)), .finished(.toolCalls),
            ]
            return AsyncThrowingStream { continuation in
                for event in events { continuation.yield(event) }
                continuation.finish()
            }
        }
        let text = Self.answer(to: request)
        let words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let limited = Array(words.prefix(max(1, request.maxTokens)))
        let input = request.messages.reduce(0) { $0 + $1.content.split(separator: " ").count }
        var events: [ChatEvent] = limited.enumerated().map { index, word in .delta(index == 0 ? word : " " + word) }
        events.append(.usage(TokenUsage(input: input, output: limited.count)))
        events.append(.finished(limited.count < words.count ? .length : .stop))
        // Everything is known up front: the stream is filled at once and needs no producing task.
        return AsyncThrowingStream { continuation in
            for event in events { continuation.yield(event) }
            continuation.finish()
        }
    }

    static let offlineNote = "(Offline assistant: no AI provider is configured, so this is a template, not a model's answer.)"

    /// A `draft_post` call when the tool is offered and the last message asks for a post; never
    /// after a tool already ran for this message (the loop ends with a report instead).
    static func draftCall(for request: ChatRequest) -> JSONValue? {
        guard request.tools.contains(where: { $0.name == "draft_post" }), let last = request.messages.last, last.role == .user else { return nil }
        let system = request.messages.first { $0.role == .system }?.content ?? ""
        return OfflineDrafting.arguments(for: last.content, system: system, brand: field("Brand", in: system))
    }

    /// The answer text: deterministic for the same request.
    static func answer(to request: ChatRequest) -> String {
        if let result = request.messages.last?.toolResult { return OfflineDrafting.report(result) }
        let question = request.messages.last { $0.role == .user }?.content.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let system = request.messages.first { $0.role == .system }?.content ?? ""
        let brand = field("Brand", in: system)
        let voice = field("Voice", in: system)
        let audience = field("Audience", in: system)
        var heading = "Draft"
        if let brand { heading += " for \(brand)" }
        if let voice { heading += ", in a \(voice) voice" }
        if let audience { heading += ", for \(audience)" }
        var parts = [offlineNote, heading + ":"]
        if question.isEmpty {
            parts.append("Tell us what you would like to post about.")
        } else {
            parts.append("\(question) — and we can't wait to share it with you. Tell us what you think in the comments!")
        }
        if let brand {
            let tag = brand.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
            if !tag.isEmpty { parts.append("#" + tag) }
        }
        return parts.joined(separator: "\n\n")
    }

    static func field(_ name: String, in text: String) -> String? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            let value = line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces)
            if !value.isEmpty { return value }
        }
        return nil
    }
}
