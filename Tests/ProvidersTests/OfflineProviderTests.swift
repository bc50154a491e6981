import Foundation
import LeopostCore
import LeopostProviders
import Testing

@Suite("Offline provider")
struct OfflineProviderTests {
    let request = ChatRequest(
        model: "offline",
        messages: [.init(role: .system, content: "Brand: Acme Bakery\nVoice: warm"), .init(role: .user, content: "Our new sourdough")],
        maxTokens: 200
    )

    @Test func answersDeterministicallySaysItIsOfflineAndReportsUsage() async throws {
        let provider = OfflineProvider()
        let first = try await provider.complete(request)
        let second = try await provider.complete(request)
        #expect(first.text == second.text)
        #expect(first.text.contains("Offline"))
        #expect(first.text.contains("Acme Bakery") && first.text.contains("warm") && first.text.contains("Our new sourdough"))
        #expect(first.finish == .stop)
        #expect(first.usage?.output == first.text.split(separator: " ").count)
    }

    @Test func respectsMaxTokens() async throws {
        var short = request
        short.maxTokens = 3
        let answer = try await OfflineProvider().complete(short)
        #expect(answer.text.split(separator: " ").count == 3)
        #expect(answer.finish == .length)
    }

    static let tools = [ToolDefinition(name: "draft_post", description: "Draft a post.", parameters: ["type": "object"])]

    func asking(_ question: String) -> ChatRequest {
        let clock = PromptBuilder().clockText(
            now: LocalTime.parse("2026-12-02T11:05:00+01:00")!, zone: TimeZone(identifier: "Europe/Berlin")!)
        return ChatRequest(
            model: "offline", messages: [.init(role: .system, content: "Brand: Acme Bakery\n\n" + clock), .init(role: .user, content: question)],
            maxTokens: 200, tools: Self.tools)
    }

    @Test func aPlainRequestToScheduleCallsDraftPostWithTheLocalTime() async throws {
        let answer = try await OfflineProvider().complete(asking("Schedule a post about our spring sale on Mastodon and X tomorrow at 10:00"))
        #expect(answer.finish == .toolCalls)
        #expect(answer.text.contains("Offline"))
        let call = try #require(answer.toolCalls.first)
        #expect(call.name == "draft_post")
        let fields = try #require(JSONValue.parse(call.arguments)?.objectValue)
        #expect(fields["platforms"] == ["mastodon", "x"])
        #expect(fields["scheduled_at"] == "2026-12-03T10:00:00+01:00")
        guard case .string(let text)? = fields["text"] else { throw TestFailure("no text in \(fields)") }
        #expect(text.hasPrefix("Our spring sale"))
        #expect(text.hasSuffix("#AcmeBakery"))
    }

    @Test func withoutAPlatformOrAfterTheToolRanItAnswersInText() async throws {
        let plain = try await OfflineProvider().complete(asking("Write something about our spring sale"))
        #expect(plain.toolCalls.isEmpty)
        var after = asking("post about bread on mastodon")
        after.messages.append(.init(role: .assistant, content: "", toolCalls: [ToolCall(id: "offline_draft", name: "draft_post", arguments: "{}")]))
        after.messages.append(
            .tool(
                .init(
                    callID: "offline_draft", name: "draft_post", content: #"{"state":"draft","scheduled_local":"Wed 3 Dec, 10:00 Europe/Berlin"}"#,
                    isError: false)))
        let report = try await OfflineProvider().complete(after)
        #expect(report.toolCalls.isEmpty)
        #expect(report.text.contains("Wed 3 Dec, 10:00 Europe/Berlin"))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
