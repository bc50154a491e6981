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

    /// The answer text: deterministic for the same request.
    static func answer(to request: ChatRequest) -> String {
        let question = request.messages.last { $0.role == .user }?.content ?? ""
        let brand = request.messages.first { $0.role == .system }.flatMap { Self.field("Brand", in: $0.content) }
        let voice = request.messages.first { $0.role == .system }.flatMap { Self.field("Voice", in: $0.content) }
        var parts = ["(Offline assistant: no AI provider is configured, so this is a template, not a model's answer.)"]
        if let brand { parts.append("Draft for \(brand)\(voice.map { " in a \($0) voice" } ?? ""):") } else { parts.append("Draft:") }
        let topic = question.trimmingCharacters(in: .whitespacesAndNewlines)
        parts.append(topic.isEmpty ? "Tell us what you would like to post about." : "\(topic) — more soon. Stay tuned!")
        return parts.joined(separator: " ")
    }

    /// Reads `Name: value` from a system prompt line.
    static func field(_ name: String, in text: String) -> String? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            let value = line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces)
            if !value.isEmpty { return value }
        }
        return nil
    }
}
