import Foundation
import LeopostCore
import LeopostTestSupport
import Testing

@Suite("Usage records and the spend report")
struct UsageStoreTests {
    let logger = TestEnvironment.logger()

    @Test func recordsAreReportedByDayProviderAndModelPerTenantOnly() async throws {
        try await TestDatabase.with(logger: logger) { database in
            let tenants = TenantStore(pool: database.app)
            let a = try await tenants.createTenant(name: "A").tenantID
            let b = try await tenants.createTenant(name: "B").tenantID
            let usage = UsageStore(pool: database.app)
            try await usage.record(
                UsageRecord(provider: "openai", model: "gpt-4o-mini", usage: TokenUsage(input: 100, output: 20), costNanodollars: 27_000), tenant: a)
            try await usage.record(
                UsageRecord(
                    provider: "openai", model: "gpt-4o-mini", usage: TokenUsage(input: 50, output: 0), costNanodollars: 7_500,
                    outcome: "rateLimited", fallbackReason: "rateLimited", totalMilliseconds: 12
                ),
                tenant: a
            )
            try await usage.record(
                UsageRecord(
                    provider: "anthropic", model: "claude-haiku-4-5", usage: TokenUsage(input: 10, output: 5), costNanodollars: 35_000,
                    estimated: true),
                tenant: a
            )
            try await usage.record(
                UsageRecord(provider: "openai", model: "gpt-4o-mini", usage: TokenUsage(input: 9, output: 9), costNanodollars: 1), tenant: b)
            let report = try await usage.report(tenant: a)
            #expect(report.count == 2)
            let openai = try #require(report.first { $0.provider == "openai" })
            #expect(openai.calls == 2 && openai.inputTokens == 150 && openai.outputTokens == 20 && openai.costNanodollars == 34_500)
            #expect(try await usage.report(tenant: b).map(\.calls) == [1])
        }
    }
}
