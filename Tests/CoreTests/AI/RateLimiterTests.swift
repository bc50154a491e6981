import LeopostCore
import LeopostTestSupport
import Testing

@Suite("Rate limiter (GCRA in Redis)")
struct RateLimiterTests {
    let logger = TestEnvironment.logger()

    @Test func allowsTheBurstThenRefusesWithRetryAfter() async throws {
        try await withTestRedis(logger: logger) { (redis) async throws in
            let limiter = RateLimiter(redis: redis)
            let subject = TestEnvironment.uniqueName("tenant")
            let limit = RateLimiter.Limit(count: 5, per: .seconds(60))
            // Concurrent callers from any process share the same allowance.
            let decisions = try await withThrowingTaskGroup(of: RateLimiter.Decision.self) { group in
                for _ in 0..<8 { group.addTask { try await limiter.check(subject, limit: limit) } }
                return try await group.reduce(into: [RateLimiter.Decision]()) { $0.append($1) }
            }
            #expect(decisions.filter { $0 == .allowed }.count == 5)
            for case .limited(let wait) in decisions {
                #expect(wait > .zero && wait <= .seconds(12), "one request per 12 s is the sustained rate")
            }
            #expect(try await limiter.check(TestEnvironment.uniqueName("other"), limit: limit) == .allowed, "subjects are independent")
        }
    }

    @Test func allowsAgainOnceTheIntervalHasPassed() async throws {
        try await withTestRedis(logger: logger) { (redis) async throws in
            let limiter = RateLimiter(redis: redis)
            let subject = TestEnvironment.uniqueName("user")
            let limit = RateLimiter.Limit(count: 1, per: .seconds(2), burst: 1)
            let started = ContinuousClock.now
            #expect(try await limiter.check(subject, limit: limit) == .allowed)
            switch try await limiter.check(subject, limit: limit) {
            case .limited(let wait):
                #expect(wait > .zero && wait <= .seconds(2))
                try await Task.sleep(for: wait + .milliseconds(20))
                #expect(try await limiter.check(subject, limit: limit) == .allowed)
            case .allowed:
                // A machine loaded by the whole suite can stall between two checks; a second request
                // is then allowed only because the interval really passed (Redis's clock, with slack).
                #expect(ContinuousClock.now - started >= .milliseconds(1_900), "a burst of 1 refuses the second request within the interval")
            }
        }
    }
}
