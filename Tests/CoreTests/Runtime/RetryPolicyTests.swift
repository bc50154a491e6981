import LeopostCore
import Testing

@Suite("RetryPolicy")
struct RetryPolicyTests {
    /// SplitMix64: a seeded generator, so the jitter test is repeatable.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func backoffDoublesAndIsCapped() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        #expect(policy.nominalDelay(beforeAttempt: 2) == .milliseconds(100))
        #expect(policy.nominalDelay(beforeAttempt: 3) == .milliseconds(200))
        #expect(policy.nominalDelay(beforeAttempt: 5) == .milliseconds(800))
        #expect(policy.nominalDelay(beforeAttempt: 9) == .seconds(1))
    }

    @Test func jitterStaysBetweenHalfAndTheFullDelay() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(400))
        var generator = SeededGenerator(state: 42)
        var delays: Set<Duration> = []
        for _ in 0..<200 {
            guard case .retry(let delay) = policy.decision(afterFailedAttempt: 2, reason: "x", using: &generator) else {
                Issue.record("expected a retry")
                return
            }
            #expect(delay >= .milliseconds(400) && delay <= .milliseconds(800))
            delays.insert(delay)
        }
        #expect(delays.count > 50, "jitter spreads retries out")
    }

    @Test func deadLettersAfterTheLastAttemptWithTheReason() {
        let policy = RetryPolicy(maxAttempts: 3)
        guard case .deadLetter(let reason) = policy.decision(afterFailedAttempt: 3, reason: "upstream said 500") else {
            Issue.record("expected a dead letter")
            return
        }
        #expect(reason.contains("3 of 3"))
        #expect(reason.contains("upstream said 500"))
    }
}
