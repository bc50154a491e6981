import Foundation
import LeopostCore

/// What the offline provider understands of a request to post, so the embedded default shows the
/// whole loop (draft, preview, confirm, schedule) without any provider account: "post … on
/// mastodon", "schedule … tomorrow at 10 on linkedin and x". Plain word rules, deterministic.
enum OfflineDrafting {
    /// Platform words and the plugin each means.
    static let platforms: [(word: String, plugin: String)] = [
        ("mastodon", "mastodon"), ("linkedin", "linkedin"), ("x", "x"), ("twitter", "x"), ("facebook", "meta"), ("instagram", "meta"),
        ("meta", "meta"), ("discord", "discord"), ("webhook", "webhook"),
    ]
    static let intents: Set<String> = ["post", "schedule", "draft", "publish", "share", "announce"]

    /// The `draft_post` arguments for `question`, or `nil` when it does not ask for a post.
    static func arguments(for question: String, system: String, brand: String?) -> JSONValue? {
        let words = question.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        guard words.contains(where: intents.contains) else { return nil }
        var named: [String] = []
        for word in words {
            if let plugin = platforms.first(where: { $0.word == word })?.plugin, !named.contains(plugin) { named.append(plugin) }
        }
        guard !named.isEmpty else { return nil }
        var fields: [String: JSONValue] = [
            "text": .string(text(about: topic(of: question), brand: brand)), "platforms": .array(named.map(JSONValue.string)),
        ]
        if let clock = clock(in: system), let time = time(in: question.lowercased(), now: clock.now, offset: clock.offset) {
            fields["scheduled_at"] = .string(time)
        }
        return .object(fields)
    }

    /// What the post is about: the words after "about" up to the platform or time, else the request itself.
    static func topic(of question: String) -> String {
        var text = question.trimmingCharacters(in: .whitespacesAndNewlines)
        if let about = text.range(of: "about ", options: .caseInsensitive) { text = String(text[about.upperBound...]) }
        for stop in [" on ", " tomorrow", " today", " at ", " for "] {
            if let cut = text.range(of: stop, options: .caseInsensitive) { text = String(text[..<cut.lowerBound]) }
        }
        text = text.trimmingCharacters(in: CharacterSet(charactersIn: " .!?,"))
        guard !text.isEmpty else { return "our latest news" }
        return text.prefix(1).uppercased() + text.dropFirst()
    }

    static func text(about topic: String, brand: String?) -> String {
        var text = "\(topic) — and we can't wait to share it with you. Tell us what you think!"
        if let brand {
            let tag = brand.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
            if !tag.isEmpty { text += " #" + tag }
        }
        return text
    }

    /// Now and the person's offset, from the prompt's "local time is … (2026-12-02T11:05:00+01:00)".
    static func clock(in system: String) -> (now: Date, offset: Int)? {
        guard let open = system.range(of: "local time is "), let start = system[open.upperBound...].firstIndex(of: "("),
            let end = system[start...].firstIndex(of: ")")
        else { return nil }
        let iso = String(system[system.index(after: start)..<end])
        guard let now = LocalTime.parse(iso) else { return nil }
        let sign = iso.suffix(6).hasPrefix("-") ? -1 : 1
        let digits = iso.hasSuffix("Z") ? "00:00" : String(iso.suffix(5))
        let parts = digits.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 2 else { return nil }
        return (now, sign * (parts[0] * 3600 + parts[1] * 60))
    }

    /// "tomorrow at 10", "today at 15:30", "at 9am": the time in the person's offset, or `nil`.
    static func time(in question: String, now: Date, offset: Int) -> String? {
        let pattern = /(today|tomorrow)?\s*at\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm)?/
        guard let match = question.firstMatch(of: pattern), var hour = Int(match.output.2) else { return nil }
        let minute = match.output.3.flatMap { Int($0) } ?? 0
        if match.output.4 == "pm", hour < 12 { hour += 12 }
        if match.output.4 == "am", hour == 12 { hour = 0 }
        guard hour < 24, minute < 60 else { return nil }
        guard let zone = TimeZone(secondsFromGMT: offset) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let day = match.output.1 == "tomorrow" ? calendar.date(byAdding: .day, value: 1, to: now) ?? now : now
        guard var time = calendar.date(bySettingHour: hour, minute: minute, second: 0, of: day) else { return nil }
        // "at 10" with no day, already past today: tomorrow's 10.
        if match.output.1 == nil, time <= now { time = calendar.date(byAdding: .day, value: 1, to: time) ?? time }
        return LocalTime.iso(time, in: zone)
    }

    /// The offline answer once the tool ran: what came of the draft, in words.
    static func report(_ result: ChatRequest.ToolResult) -> String {
        let fields = JSONValue.parse(result.content)?.objectValue ?? [:]
        if result.isError {
            let message = fields["error"]?.objectValue?["message"].flatMap { if case .string(let text) = $0 { text } else { nil } }
            return "I could not draft that: \(message ?? "the tool refused it")."
        }
        var text = "I drafted it: the preview is below. Confirm it, edit it or cancel it."
        if case .string(let local)? = fields["scheduled_local"] { text += " It is set for \(local)." }
        if case .string(let state)? = fields["state"], state != "draft" { text = "Done: the post is \(state)." }
        return text
    }
}
