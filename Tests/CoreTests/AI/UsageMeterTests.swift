import LeopostCore
import Testing

@Suite("UsageMeter")
struct UsageMeterTests {
    @Test func theProvidersLastReportIsTheBill() {
        var meter = UsageMeter(estimatedInputTokens: 10)
        for event: ChatEvent in [
            .usage(TokenUsage(input: 30, output: 1)), .delta("Hello, world"), .usage(TokenUsage(input: 30, output: 15)), .finished(.stop),
        ] {
            meter.observe(event)
        }
        #expect(meter.charge.usage == TokenUsage(input: 30, output: 15))
        #expect(!meter.charge.estimated)
    }

    @Test func aStreamCutBeforeItsReportIsEstimatedNeverZero() {
        var meter = UsageMeter(estimatedInputTokens: 12)
        meter.observe(.delta("Hello there, "))
        meter.observe(.delta("friend"))
        #expect(meter.charge.usage == TokenUsage(input: 12, output: 5))
        #expect(meter.charge.estimated)
    }

    @Test func knownInputWithMissingOutputKeepsTheInputAndEstimatesTheRest() {
        var meter = UsageMeter(estimatedInputTokens: 12)
        meter.observe(.usage(TokenUsage(input: 30, output: 1, cacheRead: 5)))
        meter.observe(.delta(String(repeating: "x", count: 40)))
        #expect(meter.charge.usage == TokenUsage(input: 30, output: 10, cacheRead: 5))
        #expect(meter.charge.estimated)
    }

    @Test func promptsAreEstimatedFromTheirText() {
        let request = ChatRequest(
            model: "m", messages: [.init(role: .system, content: String(repeating: "a", count: 40)), .init(role: .user, content: "")])
        #expect(UsageMeter.estimateTokens(of: request) == 11)
    }
}
