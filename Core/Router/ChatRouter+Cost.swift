import Foundation
import Logging

extension ChatRouter {
    /// A chain with its worst case reserved against every budget level.
    struct FundedChain: Sendable {
        let chain: ProviderChain
        let reservation: BudgetLedger.Reservation
        let prices: PriceTable
        /// The downgrade chain's name when the budget could not cover the task's own chain.
        let downgradedTo: String?
    }

    /// How the answering call went, for its usage record.
    struct AnsweringCall: Sendable {
        let meter: UsageMeter
        let firstToken: Duration?
        let total: Duration
        let outcome: String
    }

    /// Reserves the worst case of the task's chain (the chat's own by default); when a budget
    /// refuses and the policy says `downgrade`, reserves for the cheaper chain instead.
    /// - Throws: `BudgetExceeded` when nothing can be afforded (the caller tells the person).
    func fund(_ prompt: ChatRequest, policy: RoutingPolicy, run: AnswerRun, task: String? = nil) async throws -> FundedChain {
        let prices = policy.priceTable
        let limits = BudgetLimits(policy.budgets)
        let task = task ?? configuration.task
        do {
            return try await reserve(
                try await chains(task, policy, run.tenant), prompt: prompt, prices: prices, limits: limits, run: run, downgradedTo: nil)
        } catch let refusal as BudgetExceeded {
            guard case .downgrade(let cheaper) = policy.budgets.whenExhausted, cheaper != task else { throw refusal }
            logger.notice("budget spent: downgrading", metadata: [LogKey.budgetLevel: "\(refusal.level)", LogKey.chain: "\(cheaper)"])
            return try await reserve(
                try await chains(cheaper, policy, run.tenant), prompt: prompt, prices: prices, limits: limits, run: run, downgradedTo: cheaper)
        }
    }

    private func reserve(
        _ chain: ProviderChain, prompt: ChatRequest, prices: PriceTable, limits: BudgetLimits, run: AnswerRun, downgradedTo: String?
    ) async throws -> FundedChain {
        let input = UsageMeter.estimateTokens(of: prompt)
        let day = BudgetLedger.periods(Date()).day
        // Any entry may end up answering, so the most expensive one is the worst case.
        let worst =
            chain.entries.map { entry in
                prices.price(provider: entry.provider.kind, model: entry.model, on: day)?
                    .worstCase(inputTokens: input, maxTokens: entry.maxTokens ?? prompt.maxTokens) ?? 0
            }.max() ?? 0
        let reservation = try await dependencies.ledger.reserve(
            tenant: run.tenant, user: run.request.userID.uuidString.lowercased(), amount: worst, limits: limits
        )
        return FundedChain(chain: chain, reservation: reservation, prices: prices, downgradedTo: downgradedTo)
    }

    /// Records every attempt as a usage record and settles the reservation with their real cost.
    /// The reservation is settled while the records are written, and whatever PostgreSQL does,
    /// it is settled: a PostgreSQL hiccup must not leave money held.
    func settle(_ funded: FundedChain, attempts: [ProviderChain.Attempt], answering: AnsweringCall?, run: AnswerRun) async throws {
        let day = BudgetLedger.periods(Date()).day
        let fallbacks = attempts.compactMap { attempt in attempt.failure.map { "\($0) at \(attempt.entry)" } }
        var records: [UsageRecord] = []
        for (index, attempt) in attempts.enumerated() {
            let price = funded.prices.price(provider: attempt.provider, model: attempt.model, on: day)
            var record = UsageRecord(
                provider: attempt.provider, model: attempt.model, usage: attempt.usage ?? TokenUsage(input: 0, output: 0), costNanodollars: 0,
                outcome: attempt.failure.map { "\($0)" } ?? "ok", priceVersion: funded.prices.version,
                conversationID: run.request.conversationID, messageID: run.answerID
            )
            if index == attempts.count - 1, attempt.failure == nil, let answering {
                let charge = answering.meter.charge
                record.usage = charge.usage
                record.estimated = charge.estimated
                record.outcome = answering.outcome
                record.firstTokenMilliseconds = answering.firstToken.map { Int($0.milliseconds) }
                record.totalMilliseconds = Int(answering.total.milliseconds)
                let reasons = fallbacks + (funded.downgradedTo.map { ["budget: downgraded to \($0)"] } ?? [])
                record.fallbackReason = reasons.isEmpty ? nil : reasons.joined(separator: "; ")
            }
            record.costNanodollars = price?.cost(of: record.usage) ?? 0
            records.append(record)
        }
        // Both at once; the reservation is awaited first, so a failed usage write cannot cancel it.
        let written = records
        async let usage: Void = dependencies.usage.record(written, tenant: run.tenant)
        try await dependencies.ledger.settle(funded.reservation, actual: records.reduce(0) { $0 + $1.costNanodollars })
        try await usage
    }
}

extension BudgetLimits {
    /// The policy's budgets in nanodollars.
    init(_ budgets: RoutingPolicy.Budgets) {
        func nanodollars(_ usd: Double?) -> Int64? { usd.map { Int64(($0 * 1e9).rounded()) } }
        self.init(
            tenantDaily: nanodollars(budgets.dailyUSD), tenantMonthly: nanodollars(budgets.monthlyUSD),
            userDaily: nanodollars(budgets.perUserDailyUSD), perMessage: nanodollars(budgets.perMessageUSD)
        )
    }
}
