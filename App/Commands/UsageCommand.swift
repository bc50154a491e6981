import ArgumentParser
import Foundation
import LeopostCore

/// `leopost usage --tenant ID [--days N] [--json]`: spend and tokens by day, provider and model.
struct UsageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "usage", abstract: "Spend and tokens by day, provider and model.")

    @Option(help: "The tenant id.") var tenant: String
    @Option(help: "How many days back (1 to 400).") var days = 30
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard TenantID(tenant) != nil else { throw ValidationError("--tenant must be a tenant id (a UUID)") }
        guard (1...400).contains(days) else { throw ValidationError("--days must be from 1 to 400") }
    }

    func run() async throws {
        let environment = try ProcessEnvironment.load()
        let tenantID = TenantID(tenant)!
        let lines = try await Database.withServerPool(url: try environment.databaseURL(), logger: environment.logger) { pool in
            try await UsageStore(pool: pool).report(tenant: tenantID, days: days)
        }
        if json {
            print(String(decoding: try JSONBody.encoder.encode(lines), as: UTF8.self))
            return
        }
        guard !lines.isEmpty else {
            print("no usage in the last \(days) days")
            return
        }
        print("day         provider   model                         calls    input   output   cost (USD)")
        for line in lines {
            print(
                line.day.padding(toLength: 12, withPad: " ", startingAt: 0) + line.provider.padding(toLength: 11, withPad: " ", startingAt: 0)
                    + line.model.padding(toLength: 28, withPad: " ", startingAt: 0)
                    + String(format: "%7d %8d %8d %12.6f", line.calls, line.inputTokens, line.outputTokens, Double(line.costNanodollars) / 1e9)
            )
        }
    }
}
