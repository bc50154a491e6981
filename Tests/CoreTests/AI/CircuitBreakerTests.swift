import LeopostCore
import LeopostTestSupport
import Testing

@Suite("Circuit breaker shared through Redis")
struct CircuitBreakerTests {
    let logger = TestEnvironment.logger()

    @Test func opensAfterTheThresholdHalfOpensAfterTheCooldownAndClosesOnSuccess() async throws {
        try await withTestRedis(logger: logger) { (redis) async throws in
            let provider = TestEnvironment.uniqueName("openai")
            let breaker = CircuitBreaker(redis: redis, configuration: .init(failureThreshold: 3, cooldown: .seconds(4), probeTimeout: .seconds(20)))
            // Another process sees the same circuit.
            let other = CircuitBreaker(redis: redis, configuration: .init(failureThreshold: 3, cooldown: .seconds(4), probeTimeout: .seconds(20)))
            for _ in 0..<2 { try await breaker.record(provider, success: false) }
            #expect(try await breaker.acquire(provider) == .call)
            try await breaker.record(provider, success: false)
            #expect(try await breaker.state(provider) == "open")
            #expect(try await other.acquire(provider) == .refused)
            // Cooldowns of seconds, not one: on a loaded machine the checks before the wait must still fall inside it.
            try await Task.sleep(for: .milliseconds(4200))
            // Exactly one of two racing processes gets to probe.
            async let first = breaker.acquire(provider)
            async let second = other.acquire(provider)
            let permissions = try await [first, second]
            #expect(permissions.filter { $0 == .probe }.count == 1)
            #expect(permissions.filter { $0 == .refused }.count == 1)
            try await breaker.record(provider, success: true)
            #expect(try await other.acquire(provider) == .call)
            #expect(try await breaker.state(provider) == "closed")
        }
    }

    /// A healthy circuit's success is not reported (one round trip less per call); once a failure
    /// is counted, the next success is, so consecutive failures still mean consecutive.
    @Test func aSuccessIsReportedOnlyWhenAFailureWasCounted() async throws {
        try await withTestRedis(logger: logger) { (redis) async throws in
            let provider = TestEnvironment.uniqueName("openai")
            let breaker = CircuitBreaker(redis: redis, configuration: .init(failureThreshold: 2))
            #expect(try await breaker.grant(provider).reportsSuccess == false)
            try await breaker.record(provider, success: false)
            #expect(try await breaker.grant(provider).reportsSuccess == true)
            try await breaker.record(provider, success: true)
            #expect(try await breaker.grant(provider).reportsSuccess == false)
            try await breaker.record(provider, success: false)
            #expect(try await breaker.state(provider) == "closed", "the success in between reset the count")
        }
    }

    @Test func aFailedProbeOpensTheCircuitAgain() async throws {
        try await withTestRedis(logger: logger) { (redis) async throws in
            let provider = TestEnvironment.uniqueName("anthropic")
            let breaker = CircuitBreaker(redis: redis, configuration: .init(failureThreshold: 1, cooldown: .seconds(4)))
            try await breaker.record(provider, success: false)
            try await Task.sleep(for: .milliseconds(4200))
            #expect(try await breaker.acquire(provider) == .probe)
            try await breaker.record(provider, success: false)
            #expect(try await breaker.acquire(provider) == .refused)
            #expect(try await breaker.state(provider) == "open")
        }
    }
}
