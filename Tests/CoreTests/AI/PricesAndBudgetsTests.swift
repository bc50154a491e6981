import Foundation
import LeopostCore
import LeopostTestSupport
import Testing

@Suite("Prices and budgets")
struct PricesAndBudgetsTests {
    let logger = TestEnvironment.logger()

    @Test func pricesMatchSnapshotsAndEffectiveDates() throws {
        let table = PriceTable.shipped
        let mini = try #require(table.price(provider: "openai", model: "gpt-4o-mini-2024-07-18", on: "2025-01-01"))
        #expect(mini.model == "gpt-4o-mini" && mini.inputPerToken == 150 && mini.outputPerToken == 600)
        #expect(table.price(provider: "gemini", model: "gemini-2.5-flash-lite", on: "2025-09-01")?.model == "gemini-2.5-flash-lite")
        #expect(table.price(provider: "openai", model: "gpt-4.1", on: "2025-01-01") == nil, "not in effect yet")
        #expect(table.price(provider: "openai", model: "unknown-model", on: "2025-01-01") == nil)
        let override = ModelPrice(
            provider: "openai", model: "gpt-4o-mini", effective: "2000-01-01", inputPerMillion: 1, outputPerMillion: 2, cacheReadPerMillion: 0.5)
        #expect(table.overridden(by: [override]).price(provider: "openai", model: "gpt-4o-mini", on: "2025-01-01") == override)
    }

    @Test func costPricesCachedInputApartAndReasoningAsOutput() {
        let price = ModelPrice(
            provider: "openai", model: "m", effective: "2025-01-01", inputPerMillion: 2, outputPerMillion: 8, cacheReadPerMillion: 0.5)
        // 1000 input of which 400 cached, 100 output (reasoning included): 600×2000 + 400×500 + 100×8000 nanodollars.
        #expect(price.cost(of: TokenUsage(input: 1000, output: 100, cacheRead: 400, reasoning: 30)) == 1_200_000 + 200_000 + 800_000)
        #expect(price.worstCase(inputTokens: 1000, maxTokens: 500) == 2_000_000 + 4_000_000)
    }

    @Test func concurrentReservationsNeverOverspend() async throws {
        try await withTestRedis(logger: logger) { (redis) async throws in
            let ledger = BudgetLedger(redis: redis)
            let tenant = TenantID.random()
            let limits = BudgetLimits(tenantDaily: 100_000_000, tenantMonthly: 1_000_000_000)  // $0.10 a day
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        do {
                            _ = try await ledger.reserve(tenant: tenant, user: "ada", amount: 10_000_000, limits: limits)  // $0.01 each
                            return true
                        } catch let refused as BudgetExceeded {
                            #expect(refused.level == "tenant daily")
                            return false
                        }
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 10)
            #expect(try await ledger.used(tenant: tenant).day == 100_000_000)
        }
    }

    @Test func settlementReplacesTheReservationAndEveryLevelIsChecked() async throws {
        try await withTestRedis(logger: logger) { (redis) async throws in
            let ledger = BudgetLedger(redis: redis)
            let tenant = TenantID.random()
            let limits = BudgetLimits(tenantDaily: 1_000, tenantMonthly: 500, userDaily: 300, perMessage: 250)
            let held = try await ledger.reserve(tenant: tenant, user: "ada", amount: 200, limits: limits)
            try await ledger.settle(held, actual: 50)
            #expect(try await ledger.used(tenant: tenant) == (50, 50))
            await #expect { _ = try await ledger.reserve(tenant: tenant, user: "ada", amount: 260, limits: limits) } throws: {
                ($0 as? BudgetExceeded)?.level == "per message"
            }
            _ = try await ledger.reserve(tenant: tenant, user: "ada", amount: 240, limits: limits)
            await #expect { _ = try await ledger.reserve(tenant: tenant, user: "ada", amount: 20, limits: limits) } throws: {
                ($0 as? BudgetExceeded)?.level == "user daily"
            }
            _ = try await ledger.reserve(tenant: tenant, user: "bob", amount: 200, limits: limits)
            await #expect { _ = try await ledger.reserve(tenant: tenant, user: "cy", amount: 20, limits: limits) } throws: {
                ($0 as? BudgetExceeded)?.level == "tenant monthly"
            }
        }
    }
}
