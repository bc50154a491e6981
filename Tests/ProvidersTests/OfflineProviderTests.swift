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
}
